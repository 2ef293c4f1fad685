using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using Supervision.Domain.Common;
using Supervision.LocalHost.Azurite;
using Supervision.Mail;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>Without a SendGrid key, mail goes to an outbox of .eml files a person (or a mail program) can read.</summary>
[Collection(SharedAzurite.Http)]
public sealed class OutboxTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string outbox = Path.Combine(Path.GetTempPath(), "supervision-tests", "outbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(outbox))
            Directory.Delete(outbox, recursive: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task WithoutASendGridKey_MailGoesToTheOutbox(string? key)
    {
        await using MailTestServices services = await MailTestServices.StartAsync(azurite, new Dictionary<string, string?>
        {
            [$"{MailOptions.Section}:SendGridApiKey"] = key,
            [$"{MailOptions.Section}:OutboxDirectory"] = outbox,
        });

        Assert.IsType<OutboxTransport>(services.Transport);
    }

    [Fact]
    public async Task TheOutbox_HoldsOneReadableMessagePerMail_WithJapaneseSubjectRecipientTextAndHtml()
    {
        await using MailTestServices services = await MailTestServices.StartAsync(azurite, new Dictionary<string, string?>
        {
            [$"{MailOptions.Section}:OutboxDirectory"] = outbox,
        });
        MailRequest request = MailTestServices.Request(key: $"dd-{Guid.NewGuid().ToString("N")[..8]}-request.1");

        MailOutcome outcome = await services.Mailer.SendAsync(request, CancellationToken.None);
        MailOutcome again = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(MailStatus.Sent, outcome.Status);
        Assert.True(again.Repeated);
        string file = Assert.Single(Directory.GetFiles(outbox));
        Assert.Matches(@"^\d{8}T\d{9}Z-" + request.IdempotencyKey.Replace(".", @"\.", StringComparison.Ordinal) + @"\.eml$", Path.GetFileName(file));
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Outbox", row.GetString("Transport"));
        Assert.Equal(Path.GetFileName(file), row.GetString("MessageId"));

        using MimeMessage message = await MimeMessage.LoadAsync(file);
        Assert.Equal("【ご依頼】委託先選定のための確認事項へのご回答のお願い（東日本テレコム株式会社）", message.Subject);
        MailboxAddress to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal(("山田 太郎", "yamada@example.co.jp"), (to.Name, to.Address));
        MailboxAddress from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
        Assert.Equal(("委託先管理", "no-reply@supervision.example.jp"), (from.Name, from.Address));
        Assert.Equal(request.IdempotencyKey, message.Headers[OutboxTransport.IdempotencyKeyHeader]);
        Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Contains("委託先選定のための確認事項へのご回答をお願いいたします。", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://supervision.example.jp/vendor/dd/abc?sig=x1&exp=2", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://supervision.example.jp/vendor/dd/abc?sig=x1&amp;exp=2\"", message.HtmlBody, StringComparison.Ordinal);

        // Readable as it lies: the header is encoded (RFC 2047), the Japanese body is plain UTF-8 text.
        string raw = await File.ReadAllTextAsync(file);
        Assert.Contains("Subject: =?utf-8?", raw, StringComparison.Ordinal);
        Assert.Contains("山田 太郎 様\r\n", raw, StringComparison.Ordinal);
        Assert.Contains("Content-Transfer-Encoding: 8bit", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("engagement-1/due diligence#1?", "engagement-1_due_diligence_1_")]
    [InlineData("reminder-2", "reminder-2")]
    public void OutboxFileNames_AreTheUtcTimeAndTheKey_WithUnsafeCharactersReplaced(string key, string expected)
    {
        var at = new DateTimeOffset(2027, 2, 16, 9, 15, 0, 123, TimeSpan.FromHours(9));

        Assert.Equal($"20270216T001500123Z-{expected}.eml", OutboxTransport.FileName(at, key));
    }

    [Fact]
    public async Task TheOutboxTransport_WritesAMailItWasGiven_ThatParsesBack()
    {
        var transport = new OutboxTransport(Options.Create(new MailOptions { OutboxDirectory = outbox }), TimeProvider.System);
        var mail = new OutgoingMail(
            new MailAddressee("taro@example.com", "Taro Yamada"),
            new MailAddressee("no-reply@example.com"),
            "Reminder: 東日本テレコム株式会社's contractor selection questionnaire",
            "Dear Taro Yamada,\n\n" + new string('x', 1_500) + "\n",
            "<p>Dear Taro Yamada,</p>",
            "reminder-1",
            Language.En);

        MailReceipt receipt = await transport.SendAsync(mail, CancellationToken.None);

        using MimeMessage message = await MimeMessage.LoadAsync(Path.Combine(outbox, receipt.MessageId!));
        Assert.Equal(mail.Subject, message.Subject);
        // A line longer than RFC 5322 allows travels quoted-printable and comes back whole.
        Assert.Equal(mail.Text, message.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal("<p>Dear Taro Yamada,</p>", message.HtmlBody);
        Assert.Equal("en", message.Body?.Headers[HeaderId.ContentLanguage]);
    }

    [Fact]
    public async Task TheLocalHost_WithNoMailConfiguration_WritesToTheOutboxUnderTheProjectRoot()
    {
        await using WebApplication localHost = LocalHostApp.Create(["--Azurite:Start=false", $"--Supervision:Storage:ConnectionString={azurite.ConnectionString}"]);

        Assert.IsType<OutboxTransport>(localHost.Services.GetRequiredService<IMailTransport>());
        Assert.Equal(
            Path.Combine(ProjectRoot.Find(), ".local", "outbox"),
            localHost.Services.GetRequiredService<IOptions<MailOptions>>().Value.OutboxPath);
    }
}
