using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.Hosting;
using Supervision.LocalHost.Tests.Engine;
using Supervision.Mail;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>Every mail's key is recorded before it is sent, so a retried activity never sends it twice.</summary>
[Collection(SharedAzurite.Http)]
public sealed class MailIdempotencyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SendGridCapture capture = null!;
    private MailTestServices services = null!;

    public async Task InitializeAsync()
    {
        capture = await SendGridCapture.StartAsync();
        services = await MailTestServices.StartAsync(azurite, MailTestServices.SendGridAt(capture, maxRetryAttempts: 1));
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await capture.DisposeAsync();
    }

    [Fact]
    public async Task TheSameKeySentTwice_AfterTheFirstSucceeded_SendsOneMail_AndReturnsTheRecordedOutcome()
    {
        MailRequest request = MailTestServices.Request();

        MailOutcome first = await services.Mailer.SendAsync(request, CancellationToken.None);
        MailOutcome second = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: false), first);
        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: true), second);
        Assert.Single(capture.Requests);
    }

    [Fact]
    public async Task AnEngagementsMail_IsAppendedToItsAuditTrailOnce_WithoutTheModel_EvenWhenSentTwice()
    {
        string engagementId = Guid.NewGuid().ToString("N");
        MailRequest request = MailTestServices.Request(engagementId: engagementId);

        await services.Mailer.SendAsync(request, CancellationToken.None);
        await services.Mailer.SendAsync(request, CancellationToken.None);

        IReadOnlyList<Domain.Audit.AuditEntry> trail = await services.Get<global::Supervision.Audit.AuditLog>().ListAsync(engagementId, CancellationToken.None);
        Domain.Audit.AuditEntry mail = Assert.Single(trail);
        Assert.Equal(Domain.Audit.AuditActions.MailSent, mail.Action);
        Assert.Equal(request.IdempotencyKey, mail.Details["idempotencyKey"]);
        Assert.DoesNotContain(mail.Details.Values, value => value.Contains("/vendor/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AForcedTransientFailure_ThenARetriedAttempt_DeliversExactlyOnce_AndTheRowEndsSent()
    {
        capture.Otherwise = new CannedAnswer(503);
        MailRequest request = MailTestServices.Request();

        await Assert.ThrowsAsync<MailTransientException>(() => services.Mailer.SendAsync(request, CancellationToken.None));
        TableEntity failed = await services.RowAsync(request);
        Assert.Equal("Failed", failed.GetString("Status"));

        capture.Otherwise = CannedAnswer.Accepted;
        MailOutcome retried = await services.Mailer.SendAsync(request, CancellationToken.None);
        MailOutcome again = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: false), retried);
        Assert.True(again.Repeated);
        Assert.Equal([503, 503, 202], capture.Requests.Select(sent => sent.AnsweredStatus));
        Assert.Single(capture.Delivered);
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Sent", row.GetString("Status"));
        Assert.Equal(2, row.GetInt32("Attempts"));
        Assert.Null(row.GetString("Reason"));
    }

    [Fact]
    public async Task ConcurrentAttemptsWithTheSameKey_SendOneMail_TheOthersFindItSentOrAreToldItIsInFlight()
    {
        MailRequest request = MailTestServices.Request();

        Task<MailOutcome>[] attempts = [.. Enumerable.Range(0, 6).Select(_ => Task.Run(() => services.Mailer.SendAsync(request, CancellationToken.None)))];
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (MailInFlightException)
        {
            // Asserted per attempt below.
        }

        Assert.Single(capture.Requests);
        Assert.Equal(1, attempts.Count(attempt => attempt.IsCompletedSuccessfully && !attempt.Result.Repeated));
        Assert.All(attempts, attempt =>
        {
            if (attempt.IsFaulted)
                Assert.IsType<MailInFlightException>(attempt.Exception!.InnerException);
            else
                Assert.Equal(MailStatus.Sent, attempt.Result.Status);
        });
    }

    [Fact]
    public async Task AKeyAnotherAttemptIsSending_WithinItsLease_FailsThisAttempt_AndSendsNothing()
    {
        MailRequest request = MailTestServices.Request();
        await services.Engagements.AddEntityAsync(Sending(request, DateTimeOffset.UtcNow.AddMinutes(-1)));

        await Assert.ThrowsAsync<MailInFlightException>(() => services.Mailer.SendAsync(request, CancellationToken.None));

        Assert.Empty(capture.Requests);
        Assert.Equal("Sending", (await services.RowAsync(request)).GetString("Status"));
    }

    [Fact]
    public async Task AKeyLeftSendingPastItsLease_ByAnAttemptThatStopped_IsTakenOver_AndSentOnce()
    {
        MailRequest request = MailTestServices.Request();
        await services.Engagements.AddEntityAsync(Sending(request, DateTimeOffset.UtcNow - new MailOptions().SendingLease - TimeSpan.FromMinutes(1)));

        MailOutcome outcome = await services.Mailer.SendAsync(request, CancellationToken.None);
        MailOutcome again = await services.Mailer.SendAsync(request, CancellationToken.None);

        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: false), outcome);
        Assert.True(again.Repeated);
        Assert.Single(capture.Delivered);
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Sent", row.GetString("Status"));
        Assert.Equal(2, row.GetInt32("Attempts"));
    }

    /// <summary>The row an attempt writes before it hands the mail over, as a crash would leave it.</summary>
    private static MailLogRecord Sending(MailRequest request, DateTimeOffset since) => new()
    {
        PartitionKey = request.EngagementId,
        RowKey = MailLogRecord.Key(request.IdempotencyKey),
        Status = nameof(MailStatus.Sending),
        Template = request.Template,
        Language = "ja",
        Recipient = request.To.Address,
        Subject = "業務委託先選定アンケート",
        Attempts = 1,
        CreatedAt = since,
        UpdatedAt = since,
    };

    [Fact]
    public async Task AKeyAlreadyRecordedForAnotherMail_IsRefused_AndNothingIsSent()
    {
        MailRequest request = MailTestServices.Request();
        await services.Mailer.SendAsync(request, CancellationToken.None);

        MailRequest other = request with { Template = MailTemplates.Reminder, Model = new Dictionary<string, string>(request.Model) { ["daysOverdue"] = "1", ["requestTitle"] = "業務委託先選定アンケート" } };
        await Assert.ThrowsAsync<InvalidOperationException>(() => services.Mailer.SendAsync(other, CancellationToken.None));

        Assert.Single(capture.Requests);
    }

    [Fact]
    public async Task TheSendMailActivity_RetriedByTheDurableEngineAfterAForcedFailure_DeliversExactlyOnce()
    {
        // The first run of the activity meets 503 twice (one in-call retry) and fails; the engine's retry policy
        // runs it again, which sends. The workflow then calls it once more with the same key, as a replay would.
        capture.AnswerNext(new CannedAnswer(503), new CannedAnswer(503));
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(MailTestServices.Settings(azurite, MailTestServices.SendGridAt(capture, maxRetryAttempts: 1)))
            .Build();
        using IHost host = EngineHost.Build(
            azurite.ConnectionString,
            AzuriteFixture.NewTaskHub(),
            registry => registry.AddOrchestrator<SendMailTwice>().AddActivity<SendMail>(),
            engineServices => engineServices.AddSupervision(configuration));
        await host.StartAsync();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
        MailRequest request = MailTestServices.Request();

        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(SendMailTwice), request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(
            [new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: false), new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: true)],
            done.ReadOutputAs<List<MailOutcome>>());
        Assert.Equal([503, 503, 202], capture.Requests.Select(sent => sent.AnsweredStatus));
        Assert.Single(capture.Delivered);
        TableEntity row = await services.RowAsync(request);
        Assert.Equal("Sent", row.GetString("Status"));
        Assert.Equal(2, row.GetInt32("Attempts"));
        await host.StopAsync();
    }
}

/// <summary>Sends a mail through <see cref="SendMail"/> with a retry policy, then sends it again under the same key.</summary>
public sealed class SendMailTwice : TaskOrchestrator<MailRequest, List<MailOutcome>>
{
    public override async Task<List<MailOutcome>> RunAsync(TaskOrchestrationContext context, MailRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        TaskOptions retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(1)));
        MailOutcome first = await context.CallActivityAsync<MailOutcome>(nameof(SendMail), input, retry);
        MailOutcome second = await context.CallActivityAsync<MailOutcome>(nameof(SendMail), input, retry);
        return [first, second];
    }
}
