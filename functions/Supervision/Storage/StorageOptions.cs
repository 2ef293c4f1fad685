namespace Supervision.Storage;

/// <summary>
/// Where the product's own tables and blobs live. Locally a connection string (Azurite); on Azure the service URIs
/// with the app's managed identity, since the storage account has shared-key access turned off.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Supervision:Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty uses the default Azure credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
