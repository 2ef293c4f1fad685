using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Supervision.Infra.Tests;

/// <summary>
/// A resource declared in the compiled ARM template, with the (nested) template that declares it and the name of the
/// module (<c>Microsoft.Resources/deployments</c>) that template is, empty for <c>main.bicep</c> itself.
/// </summary>
public sealed partial record ArmResource(JsonObject Resource, JsonObject Template, string Module)
{
    public string Type => (string)Resource["type"]!;

    /// <summary>The name as compiled: a literal or an ARM expression such as <c>[format(...)]</c>.</summary>
    public string Name => Resource["name"]?.ToString() ?? string.Empty;

    public JsonObject Properties => Resource["properties"]?.AsObject() ?? [];

    /// <summary>
    /// An ARM expression with each <c>variables('x')</c> of a string variable replaced by its quoted value from
    /// the declaring template, so a test can read a role id kept in a variable.
    /// </summary>
    public string ResolveVariables(string expression) =>
        VariableReference().Replace(
            expression,
            match => Template["variables"]?[match.Groups[1].Value] is JsonValue value
                && value.TryGetValue(out string? text)
                    ? $"'{text}'"
                    : match.Value);

    [GeneratedRegex(@"variables\('([^']+)'\)", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReference();
}

/// <summary>
/// <c>infra/main.bicep</c> compiled once per test run (<c>bicep build --stdout</c>). Modules compile to nested
/// <c>Microsoft.Resources/deployments</c> whose <c>properties.template</c> holds their resources, so resources
/// are found by walking the whole JSON tree.
/// </summary>
public static class CompiledTemplate
{
    private static readonly Lazy<Task<BicepResult>> Build =
        new(() => BicepCli.BuildToStdoutAsync(BicepCli.MainTemplate));

    public static Task<BicepResult> BuildResultAsync() => Build.Value;

    public static async Task<JsonObject> RootAsync()
    {
        BicepResult result = await Build.Value;
        Assert.True(result.ExitCode == 0, $"bicep build failed ({result.ExitCode}):\n{result.StandardError}");
        return JsonNode.Parse(result.StandardOutput)?.AsObject()
            ?? throw new InvalidOperationException("bicep build printed no template.");
    }

    /// <summary>Every deployed (not <c>existing</c>) resource of the given type, at any nesting depth.</summary>
    public static async Task<IReadOnlyList<ArmResource>> ResourcesAsync(string type)
    {
        JsonObject root = await RootAsync();
        var found = new List<ArmResource>();
        Collect(root, root, found);
        return found
            .Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>The single deployed resource of the given type.</summary>
    public static async Task<ArmResource> SingleResourceAsync(string type)
    {
        IReadOnlyList<ArmResource> resources = await ResourcesAsync(type);
        return Assert.Single(resources);
    }

    /// <summary>The single deployed resource of the given type that the module named <paramref name="module"/> declares.</summary>
    public static async Task<ArmResource> SingleResourceAsync(string type, string module)
    {
        IReadOnlyList<ArmResource> resources = await ResourcesAsync(type);
        return Assert.Single(resources, resource => resource.Module == module);
    }

    private static void Collect(JsonNode? node, JsonObject template, List<ArmResource> found, string module = "")
    {
        switch (node)
        {
            case JsonObject obj:
                if (IsTemplate(obj))
                {
                    template = obj;
                }

                if (IsResource(obj))
                {
                    found.Add(new ArmResource(obj, template, module));
                    if (string.Equals((string?)obj["type"], "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
                    {
                        module = obj["name"]?.ToString() ?? string.Empty;
                    }
                }

                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    Collect(property.Value, template, found, module);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Collect(item, template, found, module);
                }

                break;
        }
    }

    private static bool IsTemplate(JsonObject obj) =>
        obj["$schema"] is JsonValue schema
        && schema.ToString().Contains("deploymentTemplate", StringComparison.OrdinalIgnoreCase);

    private static bool IsResource(JsonObject obj) =>
        obj["type"] is JsonValue type
        && type.ToString().Contains('/', StringComparison.Ordinal)
        && obj.ContainsKey("apiVersion")
        && obj["existing"]?.GetValue<bool>() != true;
}
