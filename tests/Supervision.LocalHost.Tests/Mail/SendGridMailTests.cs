using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Supervision.Domain.Common;
using Supervision.Mail;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>The real SendGrid client against a local capture endpoint: the exact request, retries, rejections.</summary>
[Collection(SharedAzurite.Http)]
public sealed class SendGridMailTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SendGridCapture capture = null!;
    private MailTestServices services = null!;

    public async Task InitializeAsync()
    {
        capture = await SendGridCapture.StartAsync();
        services = await MailTestServices.StartAsync(azurite, MailTestServices.SendGridAt(capture));
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await capture.DisposeAsync();
    }

    [Fact]
    public void AConfiguredKey_ChoosesTheSendGridTransport()
    {
        Assert.IsType<SendGridTransport>(services.Transport);
    }

    [Fact]
    public async Task SendGrid_ReceivesExactlyTheExpectedJson_WithTheKeyAsBearerToken()
    {
        MailRequest request = MailTestServices.Request();
        RenderedMail rendered = services.Get<MailTemplates>().Render(request.Template, Language.Ja, request.Model);

        MailOutcome outcome = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: false), outcome);
        CapturedRequest sent = Assert.Single(capture.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v3/mail/send", sent.Path);
        Assert.Equal($"Bearer {MailTestServices.ApiKey}", sent.Headers["Authorization"]);
        Assert.Equal("application/json", sent.Headers["Content-Type"]);
        var expected = new JsonObject
        {
            ["from"] = new JsonObject { ["name"] = "委託先管理", ["email"] = "no-reply@supervision.example.jp" },
            ["subject"] = "【ご依頼】委託先選定のための確認事項へのご回答のお願い（東日本テレコム株式会社）",
            ["personalizations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject { ["name"] = "山田 太郎", ["email"] = "yamada@example.co.jp" }),
            }),
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text/plain", ["value"] = rendered.Text },
                new JsonObject { ["type"] = "text/html", ["value"] = rendered.Html }),
            ["custom_args"] = new JsonObject { ["idempotencyKey"] = request.IdempotencyKey },
        };
        JsonNode? actual = JsonNode.Parse(sent.Body);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"SendGrid received:\n{actual}");
        Assert.Contains("委託先選定のための確認事項へのご回答をお願いいたします。", rendered.Text, StringComparison.Ordinal);

        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Sent", row.GetString("Status"));
        Assert.Equal("SendGrid", row.GetString("Transport"));
        Assert.Equal("captured-1", row.GetString("MessageId"));
        Assert.Equal(1, row.GetInt32("Attempts"));
    }

    [Fact]
    public async Task TooManyRequestsThenServiceUnavailable_AreRetriedWithBackOff_UntilSendGridAccepts()
    {
        capture.AnswerNext(
            new CannedAnswer(429, """{"errors":[{"message":"too many requests"}]}""", RetryAfterSeconds: 0),
            new CannedAnswer(503),
            CannedAnswer.Accepted);
        MailRequest request = MailTestServices.Request();

        MailOutcome outcome = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(MailStatus.Sent, outcome.Status);
        Assert.Equal([429, 503, 202], capture.Requests.Select(sent => sent.AnsweredStatus));
        Assert.Single(capture.Requests.Select(sent => sent.Body).Distinct());
        Assert.Single(capture.Delivered);
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Sent", row.GetString("Status"));
        Assert.Equal(1, row.GetInt32("Attempts"));
    }

    [Fact]
    public async Task ABadRequest_IsRecordedAsRejectedWithSendGridsReason_AfterOneAttempt_AndReturnedNotThrown()
    {
        capture.AnswerNext(new CannedAnswer(400, """{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null}]}"""));
        MailRequest request = MailTestServices.Request();

        MailOutcome outcome = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(MailStatus.Rejected, outcome.Status);
        Assert.False(outcome.Repeated);
        Assert.Equal("from: The from address does not match a verified Sender Identity.", outcome.Reason);
        Assert.Single(capture.Requests);
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Rejected", row.GetString("Status"));
        Assert.Equal(400, row.GetInt32("ProviderStatus"));
        Assert.Equal("from: The from address does not match a verified Sender Identity.", row.GetString("Reason"));
    }

    [Fact]
    public async Task ARejectedMail_IsNotSentAgain_WhenTheActivityRunsAgain()
    {
        capture.AnswerNext(new CannedAnswer(403, """{"errors":[{"message":"access forbidden"}]}"""));
        MailRequest request = MailTestServices.Request();

        await services.Mailer.SendAsync(request, CancellationToken.None);
        MailOutcome again = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Rejected, Repeated: true, "access forbidden"), again);
        Assert.Single(capture.Requests);
    }

    [Fact]
    public async Task ServerErrorsUntilTheRetriesAreUsedUp_AreRecordedAsFailed_AndThrownForTheDurableRetry()
    {
        capture.Otherwise = new CannedAnswer(503, """{"errors":[{"message":"service unavailable"}]}""");
        MailRequest request = MailTestServices.Request();

        MailTransientException error = await Assert.ThrowsAsync<MailTransientException>(() => services.Mailer.SendAsync(request, CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(5, capture.Requests.Count); // the first attempt and MaxRetryAttempts = 4 retries
        Assert.Empty(capture.Delivered);
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Failed", row.GetString("Status"));
        Assert.Equal(503, row.GetInt32("ProviderStatus"));
        Assert.Contains("service unavailable", row.GetString("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheMaximumDelay_IsNotWaitedFor_ButLeftToTheDurableRetry()
    {
        capture.AnswerNext(new CannedAnswer(429, RetryAfterSeconds: 3600));
        MailRequest request = MailTestServices.Request();

        MailTransientException error = await Assert.ThrowsAsync<MailTransientException>(() => services.Mailer.SendAsync(request, CancellationToken.None));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(capture.Requests);
    }
}
