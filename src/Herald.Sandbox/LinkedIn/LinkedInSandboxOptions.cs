namespace Herald.Sandbox.LinkedIn;

/// <summary>The simulated LinkedIn's limits: <c>new SandboxOptions { LinkedIn = { PostsPerDay = 1 } }</c>.</summary>
public sealed class LinkedInSandboxOptions
{
    /// <summary>
    /// Posts one LinkedIn member may create per UTC day. LinkedIn publishes no number (docs/platforms.md, LinkedIn,
    /// "Rate limits"); 150 stands in for the member quota an app sees in its Developer Portal.
    /// </summary>
    public int PostsPerDay { get; set; } = 150;

    /// <summary>
    /// How many reads of an uploaded image's status still see <c>PROCESSING</c> before it is <c>AVAILABLE</c> (or
    /// <c>PROCESSING_FAILED</c>). Default 1: the first read after the upload sees it processing.
    /// </summary>
    public int ImageProcessingPolls { get; set; } = 1;

    /// <summary>
    /// Answers every <c>GET /rest/images/{urn}</c> with 403 "Not enough permissions to access media resource", as
    /// clients report for member tokens that may post images but not read them. The image still finishes processing.
    /// </summary>
    public bool ImageReadsForbidden { get; set; }
}
