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
        var clientOptions = new BlobClientOptions { Diagnostics = { ApplicationId = ApplicationId } };
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new BlobServiceClient(options.ConnectionString, clientOptions);
        return new BlobServiceClient(
            options.BlobServiceUri ?? throw Missing(nameof(StorageOptions.BlobServiceUri)),
            Credential(options),
            clientOptions);
    }

    private static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));

    private static InvalidOperationException Missing(string setting) =>
        new($"Set {StorageOptions.Section}:ConnectionString, or {StorageOptions.Section}:{setting} to use the managed identity.");
}
