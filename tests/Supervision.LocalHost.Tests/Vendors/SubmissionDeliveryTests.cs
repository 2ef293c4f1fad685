using System.Net;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>
/// A contractor's submission and the workflow hearing of it are one outcome: when the engine cannot be told at the
/// moment of submitting, the submission is kept with the event it owes, the contractor is told it was received, and a
/// second submit through the same link delivers it (the daily sweep's relay does too; see DailySweepTests).
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class SubmissionDeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(azurite);

    public async Task DisposeAsync() => await driver.DisposeAsync();

    [Fact]
    public async Task ASubmissionTheWorkflowCouldNotBeToldOf_IsKept_AndASecondSubmitDeliversIt_InsteadOfAnswering410()
    {
        string id = await driver.StartEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        await driver.AnswerDueDiligenceAsync(token);

        Assert.Equal(StatusCodes.Status200OK, await driver.SubmitWhileTheEngineIsUnreachableAsync(token));
        TableClient links = driver.Host.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Links);
        Assert.Single(await PendingEventsAsync(links, id));
        Assert.Equal("selectionRequested", (string)(await driver.StateAsync(id))["stage"]!);

        using HttpClient vendor = driver.Host.Anonymous();
        using HttpResponseMessage again = await vendor.PostAsync($"/api/vendor/{token}/submit", EngagementDriver.Json("{}"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await driver.StageAsync(id, "underReview");
        Assert.Empty(await PendingEventsAsync(links, id));
        Assert.Single(await driver.AuditAsync(id), entry => (string)entry!["action"]! == "request.closed");
    }

    [Fact]
    public async Task ASecondSubmitOfADeliveredSubmission_Answers200_AndChangesNothing()
    {
        string id = await driver.StartEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        await driver.AnswerDueDiligenceAndSubmitAsync(token);
        await driver.StageAsync(id, "underReview");
        int trail = (await driver.AuditAsync(id)).Count;

        using HttpClient vendor = driver.Host.Anonymous();
        using HttpResponseMessage again = await vendor.PostAsync($"/api/vendor/{token}/submit", EngagementDriver.Json("{}"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(trail, (await driver.AuditAsync(id)).Count);
    }

    internal static async Task<List<PendingEventRecord>> PendingEventsAsync(TableClient table, string engagementId)
    {
        var pending = new List<PendingEventRecord>();
        await foreach (PendingEventRecord row in table.QueryAsync<PendingEventRecord>(
            row => row.PartitionKey == engagementId && row.RowKey.CompareTo(PendingEventRecord.KeyPrefix) >= 0 && row.RowKey.CompareTo("event}") < 0))
        {
            pending.Add(row);
        }

        return pending;
    }
}
