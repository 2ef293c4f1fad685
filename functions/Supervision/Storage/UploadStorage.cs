using Azure.Storage.Blobs;

namespace Supervision.Storage;

/// <summary>
/// The blob service that holds the <c>uploads</c> container: the main account's, or, where the main account refuses
/// public networks, an account of its own that contractors' browsers can reach (<see cref="StorageOptions.UploadsBlobServiceUri"/>).
/// Everything else (evidence, tables, queues) stays on the main account.
/// </summary>
/// <param name="Service">The blob service the upload SAS is issued for and uploads are read from.</param>
/// <param name="OwnAccount">True when <paramref name="Service"/> is not the main blob service.</param>
public sealed record UploadStorage(BlobServiceClient Service, bool OwnAccount);
