using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Supervision.Functions.Durable;

/// <summary>The <see cref="TaskActivityContext"/> a library activity expects, built from the Functions invocation.</summary>
internal sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;

    public static FunctionActivityContext From(FunctionContext context, string name) =>
        new(name, context.BindingContext.BindingData.TryGetValue("instanceId", out object? id) ? id?.ToString() ?? string.Empty : string.Empty);
}
