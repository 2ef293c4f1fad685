using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Supervision.Storage;

/// <summary>Builds the storage clients from <see cref="StorageOptions"/>, by connection string or by identity.</summary>
public static class StorageClients
{
    /// <summary>
    /// Leads the User-Agent of every request the product's own clients make, so that storage logs (and the benchmark) tell
    /// them apart from the durable engine's, which shares the account.
    /// </summary>
    public const string ApplicationId = "supervision";

    public static TableServiceClient CreateTableService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions { Diagnostics = { ApplicationId = ApplicationId } };
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new TableServiceClient(options.ConnectionString, clientOptions);
        return new TableServiceClient(
            options.TableServiceUri ?? throw Missing(nameof(StorageOptions.TableServiceUri)),
            Credential(options),
            clientOptions);
    }

    public static BlobServiceClient CreateBlobService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new BlobServiceClient(options.ConnectionString, BlobOptions());
        return new BlobServiceClient(
            options.BlobServiceUri ?? throw Missing(nameof(StorageOptions.BlobServiceUri)),
            Credential(options),
            BlobOptions());
    }

    /// <summary>
    /// Where uploads go: an account of their own when <see cref="StorageOptions.UploadsConnectionString"/> or
    /// <see cref="StorageOptions.UploadsBlobServiceUri"/> is set (the URI with the same identity as the main account),
    /// otherwise <paramref name="main"/>, the main blob service.
    /// </summary>
    public static UploadStorage CreateUploadStorage(StorageOptions options, BlobServiceClient main)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(main);
        if (!string.IsNullOrEmpty(options.UploadsConnectionString))
            return new UploadStorage(new BlobServiceClient(options.UploadsConnectionString, BlobOptions()), OwnAccount: true);
        if (options.UploadsBlobServiceUri is not { } uri)
            return new UploadStorage(main, OwnAccount: false);
        if (!uri.IsAbsoluteUri)
            throw new InvalidOperationException($"{StorageOptions.Section}:{nameof(StorageOptions.UploadsBlobServiceUri)} must be an absolute URI (the uploads account's blob endpoint), not '{uri}'.");
        return new UploadStorage(new BlobServiceClient(uri, Credential(options), BlobOptions()), OwnAccount: true);
    }

    private static BlobClientOptions BlobOptions() => new() { Diagnostics = { ApplicationId = ApplicationId } };

    private static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));

    private static InvalidOperationException Missing(string setting) =>
        new($"Set {StorageOptions.Section}:ConnectionString, or {StorageOptions.Section}:{setting} to use the managed identity.");
}
