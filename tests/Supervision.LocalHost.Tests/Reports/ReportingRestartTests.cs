using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.LocalHost.Engine;
using Supervision.LocalHost.Tests.Http;
using Supervision.Reports;
using Supervision.Storage;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests.Reports;

/// <summary>
/// The local host as a separate process, killed (SIGKILL) while a period's request is out and started again on the same
/// task hub: the schedule carries on from where it was, so no period is lost and none is requested or mailed twice.
/// </summary>
[Collection(SharedAzurite.Monitoring)]
public sealed class ReportingRestartTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Qa_1_6_HostKilledMidPeriod_AndRestarted_LosesNoPeriod_AndRequestsNoneTwice()
    {
        string hub = AzuriteFixture.NewTaskHub();
        string outbox = Path.Combine(Path.GetTempPath(), "reports-restart-outbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outbox);
        using var engine = new LocalOrchestrationService(
            Options.Create(new LocalEngineOptions { TaskHubName = hub, PartitionCount = 1 }),
            Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }),
            NullLoggerFactory.Instance);
        await engine.StartAsync(CancellationToken.None);
        await using var durable = new LocalDurableTaskClient(engine);
        var store = new EngagementStore(new TableServiceClient(azurite.ConnectionString));

        int port = FreePorts.Next();
        Process first = StartHost(hub, port, outbox);
        Process? second = null;
        try
        {
            using HttpClient procurement = LocalHostProcess.Client(port, "test-procurement", "procurement");
            using HttpClient supervisor = LocalHostProcess.Client(port, "test-supervisor", "supervisor");
            await LocalHostProcess.WaitHealthyAsync(procurement);
            var scenario = new ReportScenario(procurement, supervisor, outbox);
            await scenario.StartAsync(store, DateTimeOffset.UtcNow);
            string id = scenario.EngagementId;
            Assert.True(await DurableStarts.StartOnceAsync(durable, nameof(ReportingWorkflow), new ReportingInput(id, 1), ReportingWorkflow.InstanceId(id), CancellationToken.None));

            // Requested: the row, and the mail that asks (the row is now written with the request, before its mail is sent;
            // a host killed between the two leaves the mail to the sending lease, as MailSendingKillTests shows).
            JsonObject requested = await scenario.ReportAsync(1);
            await scenario.LinkOfMailAsync((string)requested["requestId"]!, "request");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            output.WriteLine($"killed the host once period 1 was requested, at {DateTimeOffset.UtcNow:O}");
            // Down long enough for period 2's request time to pass while nothing runs.
            await Task.Delay(TimeSpan.FromSeconds(6));

            second = StartHost(hub, port, outbox);
            await LocalHostProcess.WaitHealthyAsync(procurement);
            using HttpClient vendor = LocalHostProcess.Client(port, null, null);
            var requestIds = new List<string>();
            foreach (int period in new[] { 1, 2, 3 })
            {
                JsonObject report = await scenario.ReportAsync(period);
                string requestId = (string)report["requestId"]!;
                requestIds.Add(requestId);
                await ReportScenario.SubmitAsync(vendor, await scenario.LinkOfMailAsync(requestId, "request"));
                await scenario.ReportAsync(period, status: "submitted");
                await scenario.AcceptAsync(period);
            }

            await Eventually.UntilAsync(
                async () => await durable.GetInstanceAsync(ReportingWorkflow.InstanceId(id)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed },
                ReportScenario.Patience,
                "the schedule to end with the contract");
            JsonArray reports = await scenario.ReportsAsync();
            Assert.Equal([1, 2, 3], reports.Select(report => (int)report!["period"]!));
            Assert.All(reports, report => Assert.Equal(1, (int)report!["attempt"]!));
            Assert.All(reports, report => Assert.Equal("accepted", (string?)report!["status"]));
            Assert.Equal(3, requestIds.Distinct().Count());
            Assert.Equal(3, scenario.ReportRequestMails());
            Assert.All(requestIds, requestId => Assert.Equal(1, scenario.MailCount(requestId, "request")));
            Assert.Null(await durable.GetInstanceAsync(ReportPeriodWorkflow.InstanceId(id, 4)));
            JsonArray trail = await scenario.AuditAsync();
            Assert.Equal(3, trail.Count(entry => (string?)entry!["action"] == "report.requested"));
        }
        finally
        {
            foreach (Process host in new[] { first, second }.OfType<Process>())
            {
                if (!host.HasExited)
                {
                    host.Kill(entireProcessTree: true);
                    await host.WaitForExitAsync();
                }

                host.Dispose();
            }

            Directory.Delete(outbox, recursive: true);
        }
    }

    private Process StartHost(string hub, int port, string outbox) => LocalHostProcess.Start(
        output,
        azurite,
        hub,
        port,
        $"--Supervision:Mail:OutboxDirectory={outbox}",
        "--Supervision:Requests:AnswerWithin=00:05:00",
        "--Supervision:Reports:PeriodLength=00:00:04",
        // The host shares Azurite with every other test: its start-up sweep would resume all their engagements.
        "--Supervision:Sweep:Enabled=false");
}
