using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Storage;

namespace Supervision.LocalHost.Tests.Storage;

/// <summary>
/// A table client whose next entity-group transaction, once armed, is lost before it reaches storage, as a crash or a
/// dropped connection loses it: nothing of it is written, and the step that sent it fails. The writes before it land.
/// </summary>
public sealed class LostTransactions : HttpPipelineSynchronousPolicy
{
    private int armed;

    private LostTransactions()
    {
    }

    /// <summary>The tables, through this policy.</summary>
    public TableServiceClient Tables { get; private set; } = null!;

    /// <summary>The trail, written through <see cref="Tables"/>.</summary>
    public AuditLog Audit { get; private set; } = null!;

    /// <summary>Storage at <paramref name="connectionString"/> through a new policy, its tables created if missing.</summary>
    public static async Task<LostTransactions> ConnectAsync(string connectionString)
    {
        var faults = new LostTransactions();
        var options = new TableClientOptions();
        options.AddPolicy(faults, HttpPipelinePosition.PerCall);
        faults.Tables = new TableServiceClient(connectionString, options);
        foreach (string table in TableNames.All)
            await faults.Tables.CreateTableIfNotExistsAsync(table);
        faults.Audit = new AuditLog(faults.Tables, TimeProvider.System);
        return faults;
    }

    /// <summary>The next transaction is lost.</summary>
    public void LoseNext() => Interlocked.Exchange(ref armed, 1);

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Uri.UnescapeDataString(message.Request.Uri.ToUri().AbsolutePath).EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref armed, 0) == 1)
            throw new IOException("The transaction was lost before it reached storage (a fault of the test).");
    }
}
