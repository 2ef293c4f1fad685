using System.Diagnostics;

namespace Supervision.Benchmarks;

internal static class Waits
{
    /// <summary>Polls <paramref name="condition"/> until it holds; gives up after <paramref name="timeout"/> (two hours unless told).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > (timeout ?? TimeSpan.FromHours(2)))
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(200);
        }
    }
}
