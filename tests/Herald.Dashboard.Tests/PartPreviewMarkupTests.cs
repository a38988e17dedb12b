using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PartModel = Herald.Server.Posts.PartPreview;
using PartView = Herald.Server.Dashboard.Components.PartPreview;

namespace Herald.Dashboard.Tests;

/// <summary>The composer's part preview marks only the text past the platform's limit, rendered as the server renders it.</summary>
public sealed class PartPreviewMarkupTests
{
    [Fact]
    public async Task PartOverTheLimit_MarksOnlyTheTextPastIt()
    {
        var part = new PartModel("Fits here. Past the limit.", 26, 10, "characters", null, null, null, [], FittingLength: 10);

        var html = await RenderAsync(part);

        Assert.Contains("<p class=\"part-text\">Fits here.<mark title=\"past the limit\"> Past the limit.</mark></p>", html, StringComparison.Ordinal);
        Assert.Contains("over the limit", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartWithinTheLimit_MarksNothing()
    {
        var html = await RenderAsync(new PartModel("All of it fits.", 15, 280, "weighted characters", null, null, null, []));

        Assert.Contains("<p class=\"part-text\">All of it fits.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartOverASecondLimit_WithNoFittingLength_IsMarkedWhole()
    {
        var html = await RenderAsync(new PartModel("Too many bytes.", 15, 300, "graphemes", 3100, 3000, "bytes", []));

        Assert.Contains("<p class=\"part-text\"><mark title=\"past the limit\">Too many bytes.</mark></p>", html, StringComparison.Ordinal);
    }

    private static async Task<string> RenderAsync(PartModel part)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { ["Part"] = part, ["Number"] = 1, ["Total"] = 1 });
            return (await renderer.RenderComponentAsync<PartView>(parameters)).ToHtmlString();
        });
    }
}
