using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Common;
using Supervision.Hosting;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>
/// The library's services as both hosts register them (<see cref="SupervisionServices.AddSupervision"/>), on the
/// shared Azurite, with mail settings of the test's choosing and back-off shortened to milliseconds.
/// </summary>
public sealed class MailTestServices : IAsyncDisposable
{
    public const string ApiKey = "SG.test-key-not-a-secret";

    private readonly ServiceProvider provider;

    private MailTestServices(ServiceProvider provider) => this.provider = provider;

    public Mailer Mailer => provider.GetRequiredService<Mailer>();

    public IMailTransport Transport => provider.GetRequiredService<IMailTransport>();

    public TableClient Engagements => provider.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements);

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    /// <summary>Settings for SendGrid at the capture endpoint, with fast retries.</summary>
    public static Dictionary<string, string?> SendGridAt(SendGridCapture capture, int maxRetryAttempts = 4) => new()
    {
        [$"{MailOptions.Section}:SendGridApiKey"] = ApiKey,
        [$"{MailOptions.Section}:SendGridHost"] = capture.Address.ToString(),
        [$"{MailOptions.Section}:Retry:MaxRetryAttempts"] = maxRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{MailOptions.Section}:Retry:BaseDelay"] = "00:00:00.010",
    };

    public static Dictionary<string, string?> Settings(AzuriteFixture azurite, IDictionary<string, string?> mail)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        ArgumentNullException.ThrowIfNull(mail);
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageOptions.Section}:ConnectionString"] = azurite.ConnectionString,
            [$"{MailOptions.Section}:From"] = "no-reply@supervision.example.jp",
            [$"{MailOptions.Section}:FromName"] = "委託先管理",
        };
        foreach ((string key, string? value) in mail)
            settings[key] = value;
        return settings;
    }

    public static async Task<MailTestServices> StartAsync(AzuriteFixture azurite, IDictionary<string, string?> mail, TimeProvider? time = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(azurite, mail)).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
            services.AddSingleton(time);
        services.AddSupervision(configuration);
        ServiceProvider provider = services.BuildServiceProvider();
        foreach (string table in TableNames.All)
            await provider.GetRequiredService<TableServiceClient>().CreateTableIfNotExistsAsync(table);
        return new MailTestServices(provider);
    }

    /// <summary>A due-diligence request to 山田様 under a key no other test uses.</summary>
    public static MailRequest Request(string? key = null, string? engagementId = null, Language language = Language.Ja) => new(
        MailTemplates.DueDiligenceRequest,
        language,
        new MailAddressee("yamada@example.co.jp", "山田 太郎"),
        new Dictionary<string, string>
        {
            ["contactName"] = "山田 太郎",
            ["contractorName"] = "株式会社サンプル印刷",
            ["principalName"] = "東日本テレコム株式会社",
            ["link"] = "https://supervision.example.jp/vendor/dd/abc?sig=x1&exp=2",
            ["dueDate"] = "2027-02-15",
            ["requestTitle"] = "業務委託先選定アンケート",
        },
        key ?? $"dd-{Guid.NewGuid():N}",
        engagementId ?? Guid.NewGuid().ToString("N"));

    public async Task<TableEntity> RowAsync(MailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await Engagements.GetEntityAsync<TableEntity>(request.EngagementId, MailLogRecord.Key(request.IdempotencyKey))).Value;
    }

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();
}
