using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Supervision.LocalHost.Tests.Engine;

/// <summary>
/// The child process of <see cref="DurabilityTests"/>: this test assembly run as a program hosts the local engine
/// with <see cref="StepsOrchestration"/>, so the test can kill it with SIGKILL and start it again.
/// </summary>
public static class DurabilityProbe
{
    public const string Command = "durability-probe";
    public const string StepsTable = "ProbeSteps";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3 || args[0] != Command)
        {
            await Console.Error.WriteLineAsync($"usage: {Command} <storage connection string> <task hub> [--config=value ...]");
            return 2;
        }

        string connectionString = args[1];
        using IHost host = EngineHost.Build(
            connectionString,
            args[2],
            registry => registry.AddOrchestrator<StepsOrchestration>().AddActivity<RecordStep>(),
            services => services.AddSingleton(new TableServiceClient(connectionString)),
            args[3..]);
        await host.RunAsync();
        return 0;
    }
}

public sealed record StepsInput(int Steps, TimeSpan StepDuration);

public sealed record StepInput(int Step, TimeSpan Duration);

/// <summary>Runs its steps one after another and reports the last checkpointed step in its custom status.</summary>
public sealed class StepsOrchestration : TaskOrchestrator<StepsInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, StepsInput input)
    {
        for (int step = 1; step <= input.Steps; step++)
        {
            await context.CallActivityAsync(nameof(RecordStep), new StepInput(step, input.StepDuration));
            context.SetCustomStatus($"done:{step}");
        }

        return input.Steps;
    }
}

/// <summary>Deliberately not idempotent: every execution adds a row, so a step that ran twice shows two.</summary>
public sealed class RecordStep(TableServiceClient tables) : TaskActivity<StepInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, StepInput input)
    {
        await Task.Delay(input.Duration);
        await tables.GetTableClient(DurabilityProbe.StepsTable)
            .AddEntityAsync(new TableEntity(context.InstanceId, $"{input.Step:D2}-{Guid.NewGuid():N}"));
        return input.Step;
    }
}
