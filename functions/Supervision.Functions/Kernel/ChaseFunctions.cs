using Microsoft.Azure.Functions.Worker;
using Supervision.Functions.Durable;
using Supervision.Kernel;

namespace Supervision.Functions.Kernel;

/// <summary>The two activities of the one chase, shared by every kind of thing chased.</summary>
public sealed class ChaseFunctions(RemindChased remind, EscalateChased escalate)
{
    [Function(nameof(RemindChased))]
    public Task<bool> RunRemind([ActivityTrigger] ChaseNotice input, FunctionContext context) =>
        remind.RunAsync(FunctionActivityContext.From(context, nameof(RemindChased)), input);

    [Function(nameof(EscalateChased))]
    public Task<bool> RunEscalate([ActivityTrigger] ChaseNotice input, FunctionContext context) =>
        escalate.RunAsync(FunctionActivityContext.From(context, nameof(EscalateChased)), input);
}
