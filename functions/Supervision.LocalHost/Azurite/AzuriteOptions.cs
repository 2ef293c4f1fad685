namespace Supervision.LocalHost.Azurite;

/// <summary>How the local host runs Azurite, the storage emulator, for itself.</summary>
public sealed class AzuriteOptions
{
    public const string Section = "Azurite";

    /// <summary>Start Azurite with the host and stop it with the host; off when storage is provided from outside.</summary>
    public bool Start { get; set; } = true;

    /// <summary>The folder holding the project's package.json that pins Azurite; found by walking up when empty.</summary>
    public string? ProjectRoot { get; set; }

    /// <summary>Azurite's data; delete the folder to start from nothing. Relative paths are under the project root.</summary>
    public string DataDirectory { get; set; } = ".local/azurite";

    public bool InMemory { get; set; }

    public int BlobPort { get; set; } = 10000;

    public int QueuePort { get; set; } = 10001;

    public int TablePort { get; set; } = 10002;

    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
