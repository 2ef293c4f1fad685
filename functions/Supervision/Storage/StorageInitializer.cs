using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Evidence;

namespace Supervision.Storage;

/// <summary>
/// Creates the product's tables and containers at start-up if they are missing (Bicep creates them on Azure; Azurite
/// starts empty), and, where configured, the CORS rule that lets vendor pages upload straight to Blob Storage.
/// </summary>
public sealed class StorageInitializer(TableServiceClient tables, BlobServiceClient blobs, IOptions<EvidenceOptions> evidence, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string name in TableNames.All)
            await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
        foreach (string container in new[] { EvidenceOptions.UploadsContainer, EvidenceOptions.EvidenceContainer })
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

        if (evidence.Value.CorsOrigins.Count > 0)
        {
            BlobServiceProperties properties = await blobs.GetPropertiesAsync(cancellationToken);
            properties.Cors = [new BlobCorsRule
            {
                AllowedOrigins = string.Join(',', evidence.Value.CorsOrigins),
                AllowedMethods = "PUT,OPTIONS",
                AllowedHeaders = "content-type,x-ms-blob-type,x-ms-version,x-ms-client-request-id",
                ExposedHeaders = "x-ms-request-id",
                MaxAgeInSeconds = 600,
            }];
            await blobs.SetPropertiesAsync(properties, cancellationToken);
        }

        logger.LogInformation("Storage ready: {TableCount} tables, evidence containers, {CorsOrigins} upload origins", TableNames.All.Count, evidence.Value.CorsOrigins.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
