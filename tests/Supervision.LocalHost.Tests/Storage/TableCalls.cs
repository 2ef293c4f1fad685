using System.Collections.Concurrent;
using System.Web;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Supervision.LocalHost.Tests.Storage;

/// <summary>
/// The table calls a client makes, as method and kind (a point read of a row, a range read, a transaction or another
/// write), and the filter of each range read.
/// </summary>
public sealed class TableCalls : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<string> taken = new();
    private readonly ConcurrentQueue<string> filters = new();

    public void Clear()
    {
        taken.Clear();
        filters.Clear();
    }

    public IReadOnlyList<string> Taken() => [.. taken];

    /// <summary>The <c>$filter</c> of every range read, as sent.</summary>
    public IReadOnlyList<string> Filters() => [.. filters];

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Uri uri = message.Request.Uri.ToUri();
        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        string kind = path.EndsWith("$batch", StringComparison.Ordinal) ? "$batch" : path.EndsWith("()", StringComparison.Ordinal) ? "range" : "row";
        taken.Enqueue($"{message.Request.Method} {kind}");
        if (kind == "range")
            filters.Enqueue(HttpUtility.ParseQueryString(uri.Query)["$filter"] ?? string.Empty);
    }
}
