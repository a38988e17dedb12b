using System.Runtime.ExceptionServices;

namespace Herald.Scheduling;

/// <summary>
/// Pure CPU work per item of a schedule call (validating, rendering): a plain loop for a small call, spread over the
/// cores for a large one. Either way an exception thrown for an item surfaces as itself, never wrapped in an
/// <see cref="AggregateException"/>.
/// </summary>
internal static class PerItem
{
    /// <summary>Below this many items the work runs on the caller's thread: starting tasks would cost more than it saves.</summary>
    public const int ParallelFrom = 64;

    public static void For(int count, Action<int> body)
    {
        if (count < ParallelFrom || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException ex)
        {
            // The first failure, with its own stack trace, as the plain loop would have thrown it.
            ExceptionDispatchInfo.Capture(ex.Flatten().InnerExceptions[0]).Throw();
            throw;
        }
    }
}
