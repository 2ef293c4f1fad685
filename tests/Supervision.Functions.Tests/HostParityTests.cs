using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Supervision.Engagements;
using Supervision.Hosting;

namespace Supervision.Functions.Tests;

/// <summary>
/// The Functions app and the local host are two shells over one library: every durable task and HTTP route the
/// library has must be bound in the Functions app under the same name, and the Functions app must bind nothing else.
/// </summary>
public sealed class HostParityTests
{
    [Fact]
    public void EveryLibraryOrchestrator_HasAFunctionOfTheSameDurableName_AndTheReverse()
    {
        Assert.Equal(
            SupervisionServices.Orchestrators.Select(type => type.Name).Order(),
            FunctionsWithTrigger<OrchestrationTriggerAttribute>().Select(function => function.Name).Order());
    }

    [Fact]
    public void EveryLibraryActivity_HasAFunctionOfTheSameDurableName_AndTheReverse()
    {
        Assert.Equal(
            SupervisionServices.Activities.Select(type => type.Name).Order(),
            FunctionsWithTrigger<ActivityTriggerAttribute>().Select(function => function.Name).Order());
    }

    [Fact]
    public void EveryActivityFunction_TakesTheInputTypeOfItsLibraryActivity()
    {
        foreach ((string name, MethodInfo method) in FunctionsWithTrigger<ActivityTriggerAttribute>())
        {
            Type activity = SupervisionServices.Activities.Single(type => type.Name == name);
            Type expectedInput = activity.BaseType!.GetGenericArguments()[0];
            ParameterInfo trigger = method.GetParameters().Single(parameter => parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
            Assert.Equal(expectedInput, trigger.ParameterType);
        }
    }

    [Fact]
    public void EveryLocalHostRoute_HasAnHttpFunctionWithTheSameNameMethodAndRoute_AndTheReverse()
    {
        IEnumerable<string> local = LocalHostRoutes.All();

        Assert.Equal(local.Order(), FunctionsAppRoutes.All().Order());
    }

    [Fact]
    public void HttpFunctions_AreAnonymousAtTheFunctionLevel_SoAppServiceAuthenticationDecides()
    {
        Assert.All(
            FunctionsWithTrigger<HttpTriggerAttribute>(),
            function => Assert.Equal(
                AuthorizationLevel.Anonymous,
                function.Method.GetParameters().Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>()).Single(attribute => attribute is not null)!.AuthLevel));
    }

    [Fact]
    public void ParityCheck_SeesTheFirstSlice()
    {
        // Guards the tests above against passing on two empty sets.
        Assert.Contains(nameof(EngagementWorkflow), FunctionsWithTrigger<OrchestrationTriggerAttribute>().Select(function => function.Name));
        Assert.Contains("StartEngagement", FunctionsWithTrigger<HttpTriggerAttribute>().Select(function => function.Name));
    }

    [Fact]
    public void DailySweep_RunsOnATimer_WhoseAttributeHoldsTheDefaultBothHostsShare_0500Jst()
    {
        (string name, MethodInfo method) = Assert.Single(FunctionsWithTrigger<TimerTriggerAttribute>());
        TimerTriggerAttribute trigger = method.GetParameters().Select(parameter => parameter.GetCustomAttribute<TimerTriggerAttribute>()).Single(attribute => attribute is not null)!;

        Assert.Equal("DailySweep", name);
        Assert.Equal(Supervision.Sweep.SweepOptions.DefaultSchedule, trigger.Schedule);
        // 14:00 JST on 1 January: the next sweep is at 05:00 JST the day after.
        Assert.Equal(
            new DateTimeOffset(2027, 1, 2, 5, 0, 0, TimeSpan.FromHours(9)),
            Supervision.Sweep.SweepSchedule.Parse(trigger.Schedule).Next(new DateTimeOffset(2027, 1, 1, 14, 0, 0, TimeSpan.FromHours(9))));
    }

    private static IEnumerable<(string Name, MethodInfo Method)> FunctionsWithTrigger<TTrigger>()
        where TTrigger : Attribute => FunctionsAppRoutes.FunctionsWithTrigger<TTrigger>();
}
