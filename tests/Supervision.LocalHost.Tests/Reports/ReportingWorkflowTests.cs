using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engine;
using Supervision.LocalHost.Tests.Http;
using Supervision.Reports;
using Supervision.Security;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Reports;

/// <summary>
/// Periodic reports on the local engine (1-6): three monthly periods compressed to seconds, one answered late after a
/// reminder, one sent back and asked again, one escalated to the supervisors; every mail sent once.
/// </summary>
[Collection(SharedAzurite.Monitoring)]
public sealed class ReportingWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string outbox = Path.Combine(Path.GetTempPath(), "reports-outbox-" + Guid.NewGuid().ToString("N"));
    private RunningLocalHost host = null!;
    private HttpClient supervisor = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(outbox);
        host = await RunningLocalHost.StartAsync(
            azurite,
            $"--Supervision:Mail:OutboxDirectory={outbox}",
            "--Supervision:Requests:AnswerWithin=00:00:05",
            "--Supervision:Requests:ReminderInterval=00:00:08",
            "--Supervision:Requests:MaxReminders=1",
            "--Supervision:Requests:SupervisorEmail=supervisors@example.jp",
            "--Supervision:Reports:PeriodLength=00:00:03");
        supervisor = host.As("test-supervisor", "supervisor");
    }

    public async Task DisposeAsync()
    {
        supervisor.Dispose();
        await host.DisposeAsync();
        Directory.Delete(outbox, recursive: true);
    }

    [Fact]
    public async Task Qa_1_6_ThreePeriods_LateReminded_SentBackAndAskedAgain_Escalated_EachRequestMailedOnce()
    {
        var scenario = new ReportScenario(host.Http, supervisor, outbox);
        await scenario.StartAsync(host.Services.GetRequiredService<EngagementStore>(), DateTimeOffset.UtcNow);
        string id = scenario.EngagementId;
        Assert.True(await host.Services.GetRequiredService<StartReporting>().StartAsync(host.Durable, new ReportingStart(id)));
        Assert.False(await host.Services.GetRequiredService<StartReporting>().StartAsync(host.Durable, new ReportingStart(id)));
        using HttpClient vendor = host.Anonymous();

        // Period 1: answered only after the reminder.
        JsonObject first = await scenario.ReportAsync(1);
        Assert.Equal("2027-01-01", (string?)first["periodStart"]);
        Assert.Equal("2027-01-31", (string?)first["periodEnd"]);
        Assert.Equal("2027-02-10", (string?)first["dueOn"]);
        string r1 = (string)first["requestId"]!;
        using (HttpResponseMessage early = await scenario.ReviewAsync(1, accept: true, null))
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        await ReportScenario.SubmitAsync(vendor, await scenario.LinkOfMailAsync(r1, "reminder.1"));
        await scenario.ReportAsync(1, status: "submitted");
        await scenario.AcceptAsync(1);

        // Period 2: answered at once, sent back with a reason, asked again for the same period.
        JsonObject second = await scenario.ReportAsync(2);
        string r2 = (string)second["requestId"]!;
        await ReportScenario.SubmitAsync(vendor, await scenario.LinkOfMailAsync(r2, "request"));
        await scenario.ReportAsync(2, status: "submitted");
        using (HttpResponseMessage reasonless = await scenario.ReviewAsync(2, accept: false, "no"))
            Assert.Equal(HttpStatusCode.BadRequest, reasonless.StatusCode);
        using (HttpResponseMessage sentBack = await scenario.ReviewAsync(2, accept: false, "The subcontractors in use are missing; list them."))
            Assert.Equal(HttpStatusCode.Accepted, sentBack.StatusCode);
        JsonObject again = await scenario.ReportAsync(2, attempt: 2, status: "requested");
        string r2b = (string)again["requestId"]!;
        Assert.NotEqual(r2, r2b);
        await ReportScenario.SubmitAsync(vendor, await scenario.LinkOfMailAsync(r2b, "request"));
        await scenario.ReportAsync(2, attempt: 2, status: "submitted");
        await scenario.AcceptAsync(2);

        // Period 3: silent until escalated to the supervisors.
        JsonObject third = await scenario.ReportAsync(3);
        string r3 = (string)third["requestId"]!;
        string token3 = await scenario.LinkOfMailAsync(r3, "request");
        await Eventually.UntilAsync(() => Task.FromResult(scenario.MailCount(r3, "escalation") == 1), ReportScenario.Patience, "period 3 to be escalated");
        await ReportScenario.SubmitAsync(vendor, token3);
        await scenario.ReportAsync(3, status: "submitted");
        await scenario.AcceptAsync(3);

        OrchestrationMetadata schedule = await Eventually.GetAsync(
            async () => await host.Durable.GetInstanceAsync(ReportingWorkflow.InstanceId(id)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } done ? done : null,
            ReportScenario.Patience,
            "the schedule to end with the contract");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, schedule.RuntimeStatus);
        foreach (int period in new[] { 1, 2, 3 })
        {
            await Eventually.UntilAsync(
                async () => await host.Durable.GetInstanceAsync(ReportPeriodWorkflow.InstanceId(id, period)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed },
                ReportScenario.Patience,
                $"period {period}'s workflow to complete");
        }

        JsonArray reports = await scenario.ReportsAsync();
        Assert.Equal([1, 2, 3], reports.Select(report => (int)report!["period"]!));
        Assert.All(reports, report => Assert.Equal("accepted", (string?)report!["status"]));
        Assert.Equal("2027-03-31", (string?)reports[2]!["periodEnd"]);
        Assert.Equal(4, scenario.ReportRequestMails());
        foreach (string requestId in new[] { r1, r2, r2b, r3 })
            Assert.Equal(1, scenario.MailCount(requestId, "request"));
        Assert.Equal(1, scenario.MailCount(r1, "reminder.1"));
        Assert.Equal(0, scenario.MailCount(r1, "escalation"));
        Assert.Equal(1, scenario.MailCount(r3, "escalation"));

        JsonArray trail = await scenario.AuditAsync();
        int Count(string action) => trail.Count(entry => (string?)entry!["action"] == action);
        Assert.Equal(4, Count("report.requested"));
        Assert.Equal(4, Count("report.submitted"));
        Assert.Equal(3, Count("report.accepted"));
        Assert.Equal(1, Count("report.sent-back"));
        Assert.Contains(trail, entry => (string?)entry!["action"] == "request.escalated" && (string?)entry["details"]!["requestId"] == r3);
    }

    [Fact]
    public async Task Qa_1_6_AReviewTheWorkflowCouldNotBeToldOf_IsKeptWithItsTrailEntry_AndTheSameReviewAgainDeliversIt()
    {
        var scenario = new ReportScenario(host.Http, supervisor, outbox);
        await scenario.StartAsync(host.Services.GetRequiredService<EngagementStore>(), DateTimeOffset.UtcNow);
        string id = scenario.EngagementId;
        await host.Services.GetRequiredService<StartReporting>().StartAsync(host.Durable, new ReportingStart(id));
        using HttpClient vendor = host.Anonymous();
        string requestId = (string)(await scenario.ReportAsync(1))["requestId"]!;
        await ReportScenario.SubmitAsync(vendor, await scenario.LinkOfMailAsync(requestId, "request"));
        await scenario.ReportAsync(1, status: "submitted");
        const string Reason = "Complete and consistent with the ledger.";

        Mock<DurableTaskClient> unreachable = UnreachableEngine.Client();
        var http = new DefaultHttpContext { RequestServices = host.Services };
        http.Request.Headers[DevelopmentSignIn.UserHeader] = "test-supervisor";
        http.Request.Headers[DevelopmentSignIn.RolesHeader] = "supervisor";
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes($$"""{"accept":true,"reason":"{{Reason}}"}"""));
        IResult first = await host.Services.GetRequiredService<ReportEndpoints>().ReviewAsync(http.Request, id, "1", unreachable.Object, CancellationToken.None);

        Assert.IsType<Accepted<ReportView>>(first);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(ReportPeriodWorkflow.InstanceId(id, 1)))!.RuntimeStatus);
        using (HttpResponseMessage again = await scenario.ReviewAsync(1, accept: true, Reason))
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        using (HttpResponseMessage otherwise = await scenario.ReviewAsync(1, accept: false, "A different decision after the first one."))
            Assert.Equal(HttpStatusCode.Conflict, otherwise.StatusCode);

        await Eventually.UntilAsync(
            async () => await host.Durable.GetInstanceAsync(ReportPeriodWorkflow.InstanceId(id, 1)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed },
            ReportScenario.Patience,
            "period 1's workflow to hear of the review");
        Assert.Single(await scenario.AuditAsync(), entry => (string?)entry!["action"] == "report.accepted");
    }
}
