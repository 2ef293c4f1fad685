using Azure.Storage.Blobs;
using Supervision.Storage;

namespace Supervision.Tests.Storage;

/// <summary>Where uploads go: the main blob service unless an uploads account of its own is configured.</summary>
public sealed class StorageClientsTests
{
    private const string UploadsAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly BlobServiceClient Main = new(new Uri("https://stmain.blob.core.windows.net/"));

    [Fact]
    public void WithoutAnUploadsSetting_UploadsUseTheMainBlobService()
    {
        UploadStorage uploads = StorageClients.CreateUploadStorage(new StorageOptions { BlobServiceUri = Main.Uri }, Main);

        Assert.Same(Main, uploads.Service);
        Assert.False(uploads.OwnAccount);
    }

    [Fact]
    public void AnUploadsBlobServiceUri_IsAnAccountOfItsOwn()
    {
        var options = new StorageOptions { BlobServiceUri = Main.Uri, UploadsBlobServiceUri = new Uri("https://stupabc.blob.core.windows.net/"), ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001" };

        UploadStorage uploads = StorageClients.CreateUploadStorage(options, Main);

        Assert.True(uploads.OwnAccount);
        Assert.Equal("stupabc", uploads.Service.AccountName);
        Assert.Equal(new Uri("https://stupabc.blob.core.windows.net/"), uploads.Service.Uri);
    }

    [Fact]
    public void AnUploadsConnectionString_WinsOverTheUri_AndCanSignTheSasItself()
    {
        var options = new StorageOptions
        {
            UploadsBlobServiceUri = new Uri("https://stupabc.blob.core.windows.net/"),
            UploadsConnectionString = $"DefaultEndpointsProtocol=http;AccountName=uploads1;AccountKey={UploadsAccountKey};BlobEndpoint=http://127.0.0.1:10000/uploads1;",
        };

        UploadStorage uploads = StorageClients.CreateUploadStorage(options, Main);

        Assert.True(uploads.OwnAccount);
        Assert.Equal("uploads1", uploads.Service.AccountName);
        Assert.True(uploads.Service.CanGenerateAccountSasUri);
    }

    [Fact]
    public void ARelativeUploadsBlobServiceUri_StopsTheAppWithTheSettingsName()
    {
        var options = new StorageOptions { UploadsBlobServiceUri = new Uri("stupabc", UriKind.Relative) };

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => StorageClients.CreateUploadStorage(options, Main));

        Assert.Contains("Supervision:Storage:UploadsBlobServiceUri", refused.Message, StringComparison.Ordinal);
    }
}
