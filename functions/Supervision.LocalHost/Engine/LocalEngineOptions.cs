namespace Supervision.LocalHost.Engine;

/// <summary>
/// The local Durable Task engine: the Durable Task Framework's Azure Storage provider (the backend Durable
/// Functions uses on Azure) on Azurite. The defaults make a local start and a crash recovery take seconds, not minutes
/// (see shared/notes/local-engine.md).
/// </summary>
public sealed class LocalEngineOptions
{
    public const string Section = "LocalEngine";

    /// <summary>Letters and digits only; tests use one hub per run so they never see each other's work.</summary>
    public string TaskHubName { get; set; } = "supervision";

    /// <summary>Defaults to the product's own storage connection string, as on Azure.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A stable worker id lets a restarted host take its partitions back at once.</summary>
    public string WorkerId { get; set; } = "local";

    public int PartitionCount { get; set; } = 2;

    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a crashed worker's unfinished work item stays invisible before it is retried.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int MaxConcurrentActivities { get; set; } = 20;

    public int MaxConcurrentOrchestrations { get; set; } = 20;
}
