using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;

namespace Supervision.Tests.Durable;

/// <summary>
/// A <see cref="TaskOrchestrationContext"/> mocked with Moq, for testing an orchestrator's decisions in milliseconds. Its
/// clock moves only with durable timers: a timer fires at once (moving the clock to its time, never back) unless
/// <see cref="HoldTimers"/> is set. Activities are answered by <see cref="Answer"/>; external events are completed by the
/// test through <see cref="Raise{T}"/>. Every timer, activity call and <c>ContinueAsNew</c> is recorded.
/// </summary>
internal sealed class OrchestrationHarness
{
    private readonly Dictionary<string, object> events = new(StringComparer.Ordinal);

    public OrchestrationHarness(DateTime now, string instanceId = "engagement-1")
    {
        Now = now;
        Context.SetupGet(context => context.CurrentUtcDateTime).Returns(() => Now);
        Context.SetupGet(context => context.InstanceId).Returns(instanceId);
        Context.SetupGet(context => context.IsReplaying).Returns(false);
        Context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        Context.Setup(context => context.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime at, CancellationToken token) =>
            {
                Timers.Add(at);
                TimerTokens.Add(token);
                if (HoldTimers)
                    return new TaskCompletionSource().Task;
                if (at > Now)
                    Now = at;
                return Task.CompletedTask;
            });
        Context.Setup(context => context.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()))
            .Callback((object? input, bool _) => ContinuedWith = input);
        Activity<bool>();
    }

    public Mock<TaskOrchestrationContext> Context { get; } = new() { CallBase = true };

    public TaskOrchestrationContext Object => Context.Object;

    public DateTime Now { get; set; }

    public bool HoldTimers { get; set; }

    public List<DateTime> Timers { get; } = [];

    public List<CancellationToken> TimerTokens { get; } = [];

    /// <summary>Each activity called, with its input and the clock when it was called.</summary>
    public List<(string Name, object? Input, DateTime At)> Activities { get; } = [];

    /// <summary>Answers an activity call; by default every activity answers <c>true</c>.</summary>
    public Func<string, object?, object?> Answer { get; set; } = (_, _) => true;

    public object? ContinuedWith { get; private set; }

    /// <summary>Lets activities returning <typeparamref name="T"/> be called; <see cref="Answer"/> gives their result.</summary>
    public OrchestrationHarness Activity<T>()
    {
        Context.Setup(context => context.CallActivityAsync<T>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? _) =>
            {
                Activities.Add((name.Name, input, Now));
                return Task.FromResult((T)Answer(name.Name, input)!);
            });
        return this;
    }

    /// <summary>
    /// Lets the orchestrator wait for the external event <paramref name="name"/> of type <typeparamref name="T"/>, which
    /// the test raises with <see cref="Raise{T}"/>: an event raised before anyone waits is kept, in order, as the engine does.
    /// </summary>
    public OrchestrationHarness Listen<T>(string name)
    {
        var inbox = new Inbox<T>();
        events[name] = inbox;
        Context.Setup(context => context.WaitForExternalEvent<T>(name, It.IsAny<CancellationToken>())).Returns(inbox.Next);
        return this;
    }

    public void Raise<T>(string name, T value) => ((Inbox<T>)events[name]).Deliver(value);

    private sealed class Inbox<T>
    {
        private readonly Queue<T> kept = new();
        private readonly Queue<TaskCompletionSource<T>> waiting = new();

        public Task<T> Next()
        {
            if (kept.TryDequeue(out T? value))
                return Task.FromResult(value);
            var wait = new TaskCompletionSource<T>();
            waiting.Enqueue(wait);
            return wait.Task;
        }

        public void Deliver(T value)
        {
            if (waiting.TryDequeue(out TaskCompletionSource<T>? wait))
                wait.SetResult(value);
            else
                kept.Enqueue(value);
        }
    }

    public IEnumerable<string> ActivityNames => Activities.Select(call => call.Name);
}
