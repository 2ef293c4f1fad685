using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Supervision.Storage;

/// <summary>Builds the storage clients from <see cref="StorageOptions"/>, by connection string or by identity.</summary>
public static class StorageClients
{
    public static TableServiceClient CreateTableService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new TableServiceClient(options.ConnectionString);
        return new TableServiceClient(
            options.TableServiceUri ?? throw Missing(nameof(StorageOptions.TableServiceUri)),
            Credential(options));
    }

    public static BlobServiceClient CreateBlobService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new BlobServiceClient(options.ConnectionString);
        return new BlobServiceClient(
            options.BlobServiceUri ?? throw Missing(nameof(StorageOptions.BlobServiceUri)),
            Credential(options));
    }

    private static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));

    private static InvalidOperationException Missing(string setting) =>
        new($"Set {StorageOptions.Section}:ConnectionString, or {StorageOptions.Section}:{setting} to use the managed identity.");
}
