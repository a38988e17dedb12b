using System.IO.Pipelines;
using Herald.Server.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Herald.Server.Tests;

/// <summary>
/// The event stream sends its headers before its first event. A stream that ends while they are being sent (the server
/// begins to stop, the client leaves) must end quietly: an exception there failed the request, and the client read an
/// error instead of the end of the stream.
/// </summary>
public sealed class EventStreamHeadersTests
{
    [Fact]
    public async Task Headers_OnAnOpenStream_AreStartedAndFlushed()
    {
        var (context, body) = Response(stopDuringFlush: null);

        Assert.True(await EventsApi.SendHeadersAsync(context.Response, CancellationToken.None));

        Assert.True(body.Started);
        Assert.Equal(1, body.Stream.Flushes);
    }

    [Fact]
    public async Task Headers_WhenTheStreamEndsDuringTheirFlush_EndTheStreamQuietly()
    {
        using var ending = new CancellationTokenSource();
        var (context, body) = Response(stopDuringFlush: ending);

        Assert.False(await EventsApi.SendHeadersAsync(context.Response, ending.Token));

        Assert.True(body.Started);
    }

    [Fact]
    public async Task Headers_OfAStreamAlreadyEnded_AreNotSent()
    {
        using var ended = new CancellationTokenSource();
        await ended.CancelAsync();
        var (context, body) = Response(stopDuringFlush: null);

        Assert.False(await EventsApi.SendHeadersAsync(context.Response, ended.Token));

        Assert.False(body.Started);
    }

    private static (DefaultHttpContext Context, RecordingBody Body) Response(CancellationTokenSource? stopDuringFlush)
    {
        var context = new DefaultHttpContext();
        var body = new RecordingBody(new FlushCountingStream(stopDuringFlush));
        context.Features.Set<IHttpResponseBodyFeature>(body);
        return (context, body);
    }

    /// <summary>A response body that records its start, as a server's does.</summary>
    private sealed class RecordingBody(FlushCountingStream stream) : IHttpResponseBodyFeature
    {
        public bool Started { get; private set; }

        public FlushCountingStream Stream => stream;

        Stream IHttpResponseBodyFeature.Stream => stream;

        public PipeWriter Writer => PipeWriter.Create(stream);

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Started = true;
            return Task.CompletedTask;
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task CompleteAsync() => Task.CompletedTask;
    }

    /// <summary>Counts flushes; given a source, the stream ends while a flush is under way (the flush is cancelled).</summary>
    private sealed class FlushCountingStream(CancellationTokenSource? stopDuringFlush) : MemoryStream
    {
        public int Flushes { get; private set; }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (stopDuringFlush is not null)
            {
                await stopDuringFlush.CancelAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            Flushes++;
        }
    }
}
