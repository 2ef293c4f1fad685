namespace Supervision.Evidence;

/// <summary>Evidence uploads (<c>Supervision:Evidence</c>).</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Supervision:Evidence";

    /// <summary>Uploads land here first, through a create-only SAS, and stay as they arrived.</summary>
    public const string UploadsContainer = "uploads";

    /// <summary>Accepted evidence, written once by the system under the name it chooses (immutable on Azure).</summary>
    public const string EvidenceContainer = "evidence";

    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    public TimeSpan UploadSasLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Origins allowed to PUT to the uploads container from a browser. The local host sets its own origin and lets the
    /// app write the CORS rule into Azurite; on Azure the rule is in Bicep and this stays empty.
    /// </summary>
    public List<string> CorsOrigins { get; } = [];
}
