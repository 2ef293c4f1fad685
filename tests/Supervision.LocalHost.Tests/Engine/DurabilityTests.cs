using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervision.LocalHost.Engine;
using Supervision.Storage;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests.Engine;

[Collection(SharedAzurite.Name)]
public sealed class DurabilityTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Steps = 6;

    [Fact]
    public async Task Orchestration_Completes_AfterItsHostIsKilledMidway_WithoutRerunningFinishedActivities()
    {
        string hub = AzuriteFixture.NewTaskHub();
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(DurabilityProbe.StepsTable);
        using var engine = new LocalOrchestrationService(
            Options.Create(new LocalEngineOptions { TaskHubName = hub, PartitionCount = 1 }),
            Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }),
            NullLoggerFactory.Instance);
        await engine.StartAsync(CancellationToken.None);
        await using var client = new LocalDurableTaskClient(engine);

        using (Process first = StartProbe(hub))
        {
            string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(StepsOrchestration), new StepsInput(Steps, TimeSpan.FromMilliseconds(800)));
            int checkpointed = 0;
            await Eventually.UntilAsync(
                async () => (checkpointed = await CheckpointedStepAsync(client, id) ?? 0) >= 2,
                TimeSpan.FromSeconds(90),
                "two checkpointed steps");
            first.Kill();
            await first.WaitForExitAsync();
            output.WriteLine($"killed the host after step {checkpointed} was checkpointed");
            Assert.True(checkpointed < Steps, "the host must be killed before the orchestration finishes");

            using Process second = StartProbe(hub);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                OrchestrationMetadata finished = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
                Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
                Assert.Equal(Steps, finished.ReadOutputAs<int>());

                Dictionary<int, int> runs = await CountRunsAsync(tables, id);
                for (int step = 1; step <= Steps; step++)
                    Assert.True(runs.GetValueOrDefault(step) >= 1, $"step {step} never ran");
                for (int step = 1; step <= checkpointed; step++)
                    Assert.Equal(1, runs[step]);
                Assert.True(runs.Values.Sum() <= Steps + 1, "only the one step in flight at the kill may run again");
            }
            finally
            {
                second.Kill();
                await second.WaitForExitAsync();
            }
        }
    }

    private Process StartProbe(string hub) => DotnetProcess.Start(
        output,
        typeof(DurabilityProbe).Assembly.Location,
        [DurabilityProbe.Command, azurite.ConnectionString, hub, "--LocalEngine:VisibilityTimeout=00:00:05", "--Logging:LogLevel:Default=Warning"]);

    private static async Task<int?> CheckpointedStepAsync(DurableTaskClient client, string id)
    {
        string? status = (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<string>();
        return status is not null && status.StartsWith("done:", StringComparison.Ordinal)
            ? int.Parse(status["done:".Length..], CultureInfo.InvariantCulture)
            : null;
    }

    private static async Task<Dictionary<int, int>> CountRunsAsync(TableServiceClient tables, string id)
    {
        var runs = new Dictionary<int, int>();
        await foreach (TableEntity row in tables.GetTableClient(DurabilityProbe.StepsTable).QueryAsync<TableEntity>(e => e.PartitionKey == id))
        {
            int step = int.Parse(row.RowKey[..2], CultureInfo.InvariantCulture);
            runs[step] = runs.GetValueOrDefault(step) + 1;
        }

        return runs;
    }
}
