using System.Diagnostics.CodeAnalysis;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>
/// A passing outage does not fail a workflow: the mail provider answers 503 to the first attempt of the first mail
/// (its own retry included), and the workflow's activity is tried again after the back-off and mails it once.
/// </summary>
[Collection(SharedAzurite.Http)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the test through IAsyncLifetime.DisposeAsync.")]
public sealed class ActivityRetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SendGridCapture capture = null!;
    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        capture = await SendGridCapture.StartAsync();
        driver = await EngagementDriver.StartAsync(
            azurite,
            [.. MailTestServices.SendGridAt(capture, maxRetryAttempts: 1).Select(setting => $"--{setting.Key}={setting.Value}")]);
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
        await capture.DisposeAsync();
    }

    [Fact]
    public async Task AWorkflowWhoseMailFailsForAWhile_TriesTheActivityAgain_AndMailsOnce_InsteadOfFailing()
    {
        capture.AnswerNext(new CannedAnswer(503), new CannedAnswer(503));

        string id = await driver.StartEngagementAsync();

        var mailLog = new TableClient(azurite.ConnectionString, TableNames.Engagements);
        TableEntity sent = await Eventually.GetAsync(
            async () => (await mailLog.GetEntityIfExistsAsync<TableEntity>(id, MailLogRecord.Key($"{id}.dd.request"))) is { HasValue: true, Value: { } row } && row.GetString("Status") == "Sent" ? row : null,
            EngagementDriver.Patience,
            "the due-diligence request to be sent on a later attempt");
        Assert.Equal(2, sent.GetInt32("Attempts"));
        Assert.Equal([503, 503, 202], capture.Requests.Take(3).Select(request => request.AnsweredStatus));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await driver.Host.Durable.GetInstanceAsync(id))?.RuntimeStatus);
        Assert.Equal("selectionRequested", (string?)(await driver.StateAsync(id))["stage"]);
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "mail.sent");
    }
}
