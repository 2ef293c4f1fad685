using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Evidence;
using Supervision.Storage;

namespace Supervision.Tests.Evidence;

public sealed class EvidenceStoreTests
{
    private static readonly BlobServiceClient Main = new(new Uri("https://stmain.blob.core.windows.net/"));

    [Theory]
    [InlineData(false, "https://stmain.blob.core.windows.net/uploads/")]
    [InlineData(true, "https://stupabc.blob.core.windows.net/uploads/")]
    public void ThePagesMayConnectTo_TheUploadsContainerOnly_OfTheAccountThatHoldsIt(bool ownAccount, string expected)
    {
        UploadStorage uploads = ownAccount ? new(new BlobServiceClient(new Uri("https://stupabc.blob.core.windows.net/")), true) : new(Main, false);
        var tables = new TableServiceClient(new Uri("https://stmain.table.core.windows.net/"), new TableSharedKeyCredential("stmain", Convert.ToBase64String(new byte[32])));
        var store = new EvidenceStore(tables, Main, uploads, Options.Create(new EvidenceOptions()), TimeProvider.System, new AuditLog(tables, TimeProvider.System));

        Assert.Equal(expected, store.UploadConnectSource);
    }
}
