using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Supervision.Functions.Tests;

/// <summary>The Functions app's HTTP routes, as "{function name} {METHOD} /{route}", for comparing the two hosts.</summary>
internal static class FunctionsAppRoutes
{
    public static readonly Assembly FunctionsApp = typeof(Engagements.EngagementFunctions).Assembly;

    public static IEnumerable<string> All() => FunctionsWithTrigger<HttpTriggerAttribute>()
        .SelectMany(function =>
        {
            HttpTriggerAttribute trigger = function.Method.GetParameters()
                .Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>()).Single(attribute => attribute is not null)!;
            return trigger.Methods!.Select(method => $"{function.Name} {method.ToUpperInvariant()} /{trigger.Route}");
        });

    public static IEnumerable<(string Name, MethodInfo Method)> FunctionsWithTrigger<TTrigger>()
        where TTrigger : Attribute =>
        FunctionsApp.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(method => method.GetParameters().Any(parameter => parameter.GetCustomAttribute<TTrigger>() is not null))
            .Select(method => (method.GetCustomAttribute<FunctionAttribute>()!.Name, method));
}
