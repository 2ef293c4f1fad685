using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Hosting;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Storage;

/// <summary>The library's services as the hosts register them, in a process of their own, with no host started.</summary>
public static class LibraryServices
{
    /// <summary>Against the storage at <paramref name="connectionString"/>; with <paramref name="calls"/>, its table calls are recorded.</summary>
    public static ServiceProvider Build(string connectionString, string mailOutbox, TableCalls? calls = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.Section}:ConnectionString"] = connectionString,
            [$"{MailOptions.Section}:From"] = "no-reply@supervision.example.jp",
            [$"{MailOptions.Section}:OutboxDirectory"] = mailOutbox,
            [$"{VendorLinkOptions.Section}:SigningKeys:0"] = "a-test-signing-key-that-is-long-enough-0123456789",
            [$"{VendorLinkOptions.Section}:PublicBaseUrl"] = "https://supervision.example.jp/",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSupervision(configuration);
        if (calls is not null)
        {
            var options = new TableClientOptions();
            options.AddPolicy(calls, HttpPipelinePosition.PerCall);
            collection.AddSingleton(new TableServiceClient(connectionString, options));
        }

        return collection.BuildServiceProvider();
    }
}
