using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engine;

[Collection(SharedAzurite.Name)]
public sealed class LocalEngineTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Orchestration_CompletesEveryGeneration_WhenTheEventBeatsTheTimer()
    {
        using IHost host = await StartAsync();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRound), new ApprovalRoundInput(Generations: 2, Wait: TimeSpan.FromMinutes(10)));

        foreach (int generation in new[] { 0, 1 })
        {
            await WaitForStatusAsync(client, id, $"waiting:{generation}");
            await client.RaiseEventAsync(id, ApprovalRound.ApprovalEvent, $"approved-{generation}");
        }

        OrchestrationMetadata done = await WaitForCompletionAsync(client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["greeted 0, event approved-0", "greeted 1, event approved-1"], done.ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task Orchestration_CompletesEveryGeneration_WhenTheTimerBeatsTheEvent()
    {
        using IHost host = await StartAsync();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRound), new ApprovalRoundInput(Generations: 2, Wait: TimeSpan.FromSeconds(2)));

        OrchestrationMetadata done = await WaitForCompletionAsync(client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["greeted 0, timed out", "greeted 1, timed out"], done.ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task Activity_Failure_SurfacesAsFailureDetails()
    {
        using IHost host = await StartAsync();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRound), new ApprovalRoundInput(Generations: 1, Wait: TimeSpan.FromSeconds(1), FailGreeting: true));

        OrchestrationMetadata done = await WaitForCompletionAsync(client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.NotNull(done.FailureDetails);
        Assert.Equal(typeof(TaskFailedException).FullName, done.FailureDetails.ErrorType);
        Assert.Contains("greeting refused", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    private async Task<IHost> StartAsync()
    {
        IHost host = EngineHost.Build(azurite.ConnectionString, AzuriteFixture.NewTaskHub(), registry => registry.AddOrchestrator<ApprovalRound>().AddActivity<Greet>());
        await host.StartAsync();
        return host;
    }

    private static Task WaitForStatusAsync(DurableTaskClient client, string id, string status) =>
        Eventually.UntilAsync(
            async () => (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<string>() == status,
            Patience,
            $"custom status {status}");

    private static async Task<OrchestrationMetadata> WaitForCompletionAsync(DurableTaskClient client, string id)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }
}

public sealed record ApprovalRoundInput(int Generations, TimeSpan Wait, bool FailGreeting = false, int Generation = 0, List<string>? Outcomes = null);

/// <summary>Per generation: an activity, then an external event raced against a durable timer, then ContinueAsNew.</summary>
public sealed class ApprovalRound : TaskOrchestrator<ApprovalRoundInput, List<string>>
{
    public const string ApprovalEvent = "Approval";

    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, ApprovalRoundInput input)
    {
        string greeting = await context.CallActivityAsync<string>(nameof(Greet), input);
        context.SetCustomStatus($"waiting:{input.Generation}");

        using var cancelTimer = new CancellationTokenSource();
        Task<string> approval = context.WaitForExternalEvent<string>(ApprovalEvent);
        Task timer = context.CreateTimer(context.CurrentUtcDateTime + input.Wait, cancelTimer.Token);
        string outcome = await Task.WhenAny(approval, timer) == approval ? $"event {approval.Result}" : "timed out";
        cancelTimer.Cancel();

        List<string> outcomes = [.. input.Outcomes ?? [], $"{greeting}, {outcome}"];
        if (input.Generation + 1 < input.Generations)
        {
            context.ContinueAsNew(input with { Generation = input.Generation + 1, Outcomes = outcomes });
            return outcomes;
        }

        return outcomes;
    }
}

public sealed class Greet : TaskActivity<ApprovalRoundInput, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, ApprovalRoundInput input) =>
        input.FailGreeting ? throw new InvalidOperationException("greeting refused") : Task.FromResult($"greeted {input.Generation}");
}
