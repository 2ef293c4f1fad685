using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Evidence;
using Supervision.Kernel;

namespace Supervision.Storage;

/// <summary>
/// Creates the product's tables and containers at start-up if they are missing (Bicep creates them on Azure; Azurite
/// starts empty), and, where configured, the CORS rule that lets vendor pages upload straight to Blob Storage. The
/// uploads container and its CORS rule go to the uploads account when it is one of its own (<see cref="UploadStorage"/>).
/// A deployment made before requests, trail and mail moved into the engagements' partitions has its rows moved first
/// (<see cref="LegacyTables"/>), and one made before the registry existed has its engagements registered
/// (<see cref="EngagementRegistry.BackfillAsync"/>).
/// </summary>
public sealed class StorageInitializer(
    TableServiceClient tables,
    BlobServiceClient blobs,
    UploadStorage uploads,
    LegacyTables legacy,
    EngagementRegistry registry,
    IOptions<EvidenceOptions> evidence,
    ILogger<StorageInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string name in TableNames.All)
            await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
        await legacy.MoveAsync(cancellationToken);
        await registry.BackfillAsync(cancellationToken);
        await blobs.GetBlobContainerClient(EvidenceOptions.EvidenceContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await uploads.Service.GetBlobContainerClient(EvidenceOptions.UploadsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

        if (evidence.Value.CorsOrigins.Count > 0)
        {
            BlobServiceProperties properties = await uploads.Service.GetPropertiesAsync(cancellationToken);
            properties.Cors = [new BlobCorsRule
            {
                AllowedOrigins = string.Join(',', evidence.Value.CorsOrigins),
                AllowedMethods = "PUT,OPTIONS",
                AllowedHeaders = "content-type,x-ms-blob-type,x-ms-version,x-ms-client-request-id",
                ExposedHeaders = "x-ms-request-id",
                MaxAgeInSeconds = 600,
            }];
            await uploads.Service.SetPropertiesAsync(properties, cancellationToken);
        }

        logger.LogInformation(
            "Storage ready: {TableCount} tables, the evidence container, the uploads container on account {UploadsAccount} (an account of its own: {UploadsOwnAccount}), {CorsOrigins} upload origins",
            TableNames.All.Count, uploads.Service.AccountName, uploads.OwnAccount, evidence.Value.CorsOrigins.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
