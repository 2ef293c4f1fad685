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
[Collection(SharedAzurite.Http)]
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
        TableClient links = driver.Host.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements);
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

    [Fact]
    public async Task AnswersRacingTheSubmit_AreTakenOnlyIfRecordedBeforeIt_AndTheRestAreRefused410_AndNeverRead()
    {
        string id = await driver.StartEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        await driver.AnswerDueDiligenceAsync(token);
        using HttpClient vendor = driver.Host.Anonymous();
        Task<HttpResponseMessage> Answer(int i) => vendor.PostAsync(
            $"/api/vendor/{token}/answers",
            EngagementDriver.Json(new System.Text.Json.Nodes.JsonObject
            {
                ["answers"] = EngagementDriver.DueDiligenceAnswers(new() { ["management.manager-name"] = $"Manager {i}" }),
            }.ToJsonString()));

        Task<HttpResponseMessage>[] answers = [.. Enumerable.Range(1, 12).Select(Answer)];
        using HttpResponseMessage submitted = await vendor.PostAsync($"/api/vendor/{token}/submit", EngagementDriver.Json("{}"));
        HttpResponseMessage[] answered = await Task.WhenAll(answers);

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.All(answered, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Gone }));
        string requestId = (await driver.Host.Services.GetRequiredService<Supervision.Vendors.VendorRequests>().CheckAsync(token, Domain.Vendors.LinkPurpose.Respond, CancellationToken.None)).Claims!.RequestId;
        Supervision.Evidence.RequestSubmission read = await Supervision.Evidence.RequestSubmission.ReadAsync(
            driver.Host.Services.GetRequiredService<Supervision.Evidence.EvidenceStore>(), id, requestId, CancellationToken.None);
        string[] taken = [.. answered.Select((response, i) => (response, name: $"Manager {i + 1}")).Where(pair => pair.response.StatusCode == HttpStatusCode.OK).Select(pair => pair.name), "Taro Yamada, CISO"];
        Assert.Contains(read.Answer("management.manager-name"), taken);
        foreach (HttpResponseMessage response in answered)
            response.Dispose();
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
