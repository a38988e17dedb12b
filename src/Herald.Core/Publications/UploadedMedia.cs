namespace Herald.Publications;

/// <summary>
/// An image a platform accepted for a publication, kept so that a retry attaches it instead of uploading it again.
/// </summary>
/// <param name="Part">The thread part it belongs to, from 0.</param>
/// <param name="Image">The image's place on the content, from 0.</param>
/// <param name="Sha256">The SHA-256 of the bytes that were uploaded (after fitting), lower-case hex.</param>
/// <param name="RemoteRef">What the platform answered: a media id, or a blob reference as JSON.</param>
/// <param name="UploadedAt">When the platform accepted it.</param>
public sealed record UploadedMedia(int Part, int Image, string Sha256, string RemoteRef, DateTimeOffset UploadedAt);
