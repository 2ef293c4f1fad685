using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Testing;

/// <summary>
/// Resolves every service a host registers. <c>ValidateOnBuild</c> sees the constructor graph only: a registration
/// through a factory lambda is opaque to it, so a cycle through one passes validation and then recurses (or hangs) at
/// the first resolution. <see cref="GuardFactories"/> makes such a cycle throw with its chain of service names, and
/// <see cref="ResolveAll"/> resolves each service with a time limit, so a hang is a named failure too.
/// </summary>
public static class EveryService
{
    [ThreadStatic]
    private static List<(object Registration, Type Service)>? inFactory;

    /// <summary>
    /// Wraps every factory registration so that entering a factory that is already running on this thread (a cycle
    /// no validation sees) throws, naming the services of the cycle. Call before the provider is built.
    /// </summary>
    public static void GuardFactories(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        for (int i = 0; i < services.Count; i++)
        {
            ServiceDescriptor descriptor = services[i];
            if (descriptor.IsKeyedService && descriptor.KeyedImplementationFactory is { } keyedFactory)
            {
                object registration = new();
                services[i] = new ServiceDescriptor(descriptor.ServiceType, descriptor.ServiceKey,
                    (provider, key) => Guarded(registration, descriptor.ServiceType, () => keyedFactory(provider, key)), descriptor.Lifetime);
            }
            else if (!descriptor.IsKeyedService && descriptor.ImplementationFactory is { } factory)
            {
                object registration = new();
                services[i] = new ServiceDescriptor(descriptor.ServiceType,
                    provider => Guarded(registration, descriptor.ServiceType, () => factory(provider)), descriptor.Lifetime);
            }
        }
    }

    /// <summary>
    /// Resolves, in a scope, every implementation of every closed service type <paramref name="registered"/> names
    /// (open generics are skipped: they have no instance of their own), each within <paramref name="timeout"/>.
    /// Returns one line per service that failed, hung or resolved to nothing, naming it.
    /// </summary>
    public static IReadOnlyList<string> ResolveAll(IServiceProvider provider, IEnumerable<ServiceDescriptor> registered, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(registered);
        using IServiceScope scope = provider.CreateScope();
        List<string> failures = [];
        foreach ((Type type, object? key) in registered
                     .Where(descriptor => !descriptor.ServiceType.ContainsGenericParameters)
                     .Select(descriptor => (descriptor.ServiceType, descriptor.IsKeyedService ? descriptor.ServiceKey : null))
                     .Distinct())
        {
            string name = key is null ? Name(type) : $"{Name(type)} (key {key})";
            Task<object?[]> resolving = Task.Factory.StartNew(
                () => (key is null ? scope.ServiceProvider.GetServices(type) : scope.ServiceProvider.GetKeyedServices(type, key)).ToArray(),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                if (!resolving.Wait(timeout))
                    failures.Add($"{name}: not resolved within {timeout.TotalSeconds:0} s (a cycle or a wait in its construction)");
                else if (resolving.Result.Length == 0 || resolving.Result.Any(instance => instance is null))
                    failures.Add($"{name}: resolved to nothing");
            }
            catch (AggregateException failed)
            {
                failures.Add($"{name}: {failed.InnerException?.GetType().Name}: {failed.InnerException?.Message}");
            }
        }

        return failures;
    }

    /// <summary>How many distinct closed service types <see cref="ResolveAll"/> resolves.</summary>
    public static int CountResolvable(IEnumerable<ServiceDescriptor> registered) =>
        registered.Where(descriptor => !descriptor.ServiceType.ContainsGenericParameters)
            .Select(descriptor => (descriptor.ServiceType, descriptor.IsKeyedService ? descriptor.ServiceKey : null))
            .Distinct()
            .Count();

    private static object Guarded(object registration, Type service, Func<object> create)
    {
        inFactory ??= [];
        int entered = inFactory.FindIndex(frame => ReferenceEquals(frame.Registration, registration));
        if (entered >= 0)
        {
            IEnumerable<string> chain = inFactory.Skip(entered).Select(frame => Name(frame.Service)).Append(Name(service));
            throw new InvalidOperationException($"A dependency cycle through factory registrations: {string.Join(" -> ", chain)}.");
        }

        inFactory.Add((registration, service));
        try
        {
            return create();
        }
        finally
        {
            inFactory.RemoveAt(inFactory.Count - 1);
        }
    }

    private static string Name(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
            : type.FullName ?? type.Name;
}
