using System.Net;
using System.Text;

namespace Herald.Sandbox.Hosting;

/// <summary>Where a post the sandbox holds can be read in a browser while the sandbox runs.</summary>
public static class SandboxLinks
{
    /// <summary>The page of post <paramref name="id"/> of <paramref name="platform"/> on the sandbox at <paramref name="baseAddress"/>.</summary>
    public static Uri Post(Uri baseAddress, string platform, string id) =>
        new(baseAddress, $"_sandbox/post?platform={Uri.EscapeDataString(platform)}&id={Uri.EscapeDataString(id)}");
}

/// <summary>
/// The sandbox's pages for people: its root lists every post it received per platform (threads as replies under
/// their first part), and each post has a page. Plain HTML without scripts; the posts live as long as the sandbox.
/// </summary>
internal static class SandboxPages
{
    public static void Map(WebApplication app, SandboxState state)
    {
        app.MapGet("/", (HttpContext context) => Html(Root(state, BaseAddress(context))));
        app.MapGet("/_sandbox/post", (HttpContext context, string? platform, string? id) =>
        {
            var posts = SandboxPostListing.List(state, platform);
            var post = posts.FirstOrDefault(p => p.Id == id);
            return post is null
                ? Html(Page("Not in this sandbox",
                    $"<p>No {Encode(platform ?? "")} post <code>{Encode(id ?? "")}</code> here. The sandbox keeps posts in memory: " +
                    "one that restarted has forgotten what it received. <a href=\"/\">Every post it holds</a>.</p>"), 404)
                : Html(Page($"{post.Platform} post", "<p><a href=\"/\">← every post</a></p>" + Thread(post, posts, BaseAddress(context))));
        });
    }

    private static Uri BaseAddress(HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}/");

    private static string Root(SandboxState state, Uri baseAddress)
    {
        var body = new StringBuilder("<p>A local stand-in for the platforms Herald publishes to; nothing here reaches a real platform. " +
                                     "Control endpoints: <a href=\"/_sandbox/\">/_sandbox/</a>, <a href=\"/_sandbox/posts\">/_sandbox/posts</a> (JSON), " +
                                     "<a href=\"/_sandbox/requests\">/_sandbox/requests</a>.</p>");
        foreach (var platform in SandboxPlatforms.All)
        {
            var posts = platform.ListPosts(state).ToList();
            var tops = posts.Where(p => p.ReplyToId is null || posts.All(other => other.Id != p.ReplyToId)).ToList();
            body.Append($"<h2>{Encode(platform.DisplayName)} <small>({posts.Count} post{(posts.Count == 1 ? "" : "s")}, API at /{platform.Id}/)</small></h2>");
            if (tops.Count == 0)
            {
                body.Append("<p><i>none yet</i></p>");
            }

            foreach (var post in tops.OrderByDescending(p => p.CreatedAt))
            {
                body.Append(Thread(post, posts, baseAddress));
            }
        }

        return Page("Herald sandbox", body.ToString());
    }

    /// <summary>A post and, nested under it, its replies (the rest of a thread).</summary>
    private static string Thread(SandboxPost post, IReadOnlyList<SandboxPost> posts, Uri baseAddress)
    {
        var html = new StringBuilder("<article>");
        html.Append($"<p class=\"meta\"><a href=\"{Encode(SandboxLinks.Post(baseAddress, post.Platform, post.Id).PathAndQuery)}\">{Encode(post.Id)}</a> · {post.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC</p>");
        html.Append($"<pre>{Encode(post.Text)}</pre>");
        foreach (var image in post.Images)
        {
            var alt = image.Alt.Length == 0 ? "(no alt text)" : image.Alt;
            html.Append($"<figure><img src=\"{Encode(image.Path)}\" alt=\"{Encode(image.Alt)}\" style=\"max-width:20rem\">" +
                        $"<figcaption>{Encode(alt)} · {Encode(image.MediaType)} · {image.Width}×{image.Height} · {image.Length:N0} bytes</figcaption></figure>");
        }

        foreach (var reply in posts.Where(p => p.ReplyToId == post.Id))
        {
            html.Append(Thread(reply, posts, baseAddress));
        }

        return html.Append("</article>").ToString();
    }

    private static string Page(string title, string body) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)}</title><style>" +
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}" +
        "article{border-left:3px solid #8a8;padding-left:1rem;margin:1rem 0}pre{white-space:pre-wrap;font-family:inherit}" +
        ".meta{color:#666;font-size:.85rem;margin:0}</style></head>" +
        $"<body><h1>{Encode(title)}</h1>{body}</body></html>";

    private static IResult Html(string html, int status = 200) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
