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

    /// <summary>
    /// The blob service of a storage account of its own for the <c>uploads</c> container, which contractors' browsers
    /// write to: set on Azure when the main account is private (README, "Private networking"), reached with the same
    /// managed identity. Unset (and <see cref="UploadsConnectionString"/> unset too), uploads go to the main blob service.
    /// </summary>
    public Uri? UploadsBlobServiceUri { get; set; }

    /// <summary>The uploads account by connection string (Azurite, tests); it wins over <see cref="UploadsBlobServiceUri"/>.</summary>
    public string? UploadsConnectionString { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty uses the default Azure credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
