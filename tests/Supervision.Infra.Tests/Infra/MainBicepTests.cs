using System.Text.Json.Nodes;

namespace Supervision.Infra.Tests.Infra;

public class MainBicepTests
{
    [Fact]
    public async Task MainBicep_Builds_WithZeroWarnings()
    {
        BicepResult result = await CompiledTemplate.BuildResultAsync();

        Assert.True(result.ExitCode == 0, $"bicep build exited {result.ExitCode}:\n{result.StandardError}");
        Assert.True(result.Diagnostics.Count == 0, "bicep build reported:\n" + string.Join('\n', result.Diagnostics));
        JsonObject? template = JsonNode.Parse(result.StandardOutput)?.AsObject();
        Assert.NotNull(template);
        Assert.NotNull(template["resources"]);
    }

    [Fact]
    public async Task MainBicep_Lints_WithZeroWarnings()
    {
        BicepResult result = await BicepCli.LintAsync(BicepCli.MainTemplate);

        Assert.True(result.ExitCode == 0, $"bicep lint exited {result.ExitCode}:\n{result.StandardError}");
        Assert.True(result.Diagnostics.Count == 0, "bicep lint reported:\n" + string.Join('\n', result.Diagnostics));
    }

    [Fact]
    public async Task MainBicep_DeploysAtSubscriptionScope_IntoItsOwnResourceGroup()
    {
        JsonObject root = await CompiledTemplate.RootAsync();
        ArmResource resourceGroup = await CompiledTemplate.SingleResourceAsync("Microsoft.Resources/resourceGroups");

        Assert.Contains("subscriptionDeploymentTemplate", root["$schema"]!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(resourceGroup.Resource["tags"]);
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_NAME")]
    [InlineData("AZURE_FUNCTION_URI")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME")]
    [InlineData("AZURE_KEY_VAULT_NAME")]
    public async Task MainBicep_OutputsWhatAzdNeeds(string output)
    {
        JsonObject root = await CompiledTemplate.RootAsync();

        Assert.NotNull(root["outputs"]?[output]);
    }

    [Fact]
    public async Task LinkSigningKey_IsASecureParameterWithoutDefault()
    {
        JsonObject root = await CompiledTemplate.RootAsync();
        JsonObject parameter = root["parameters"]!["linkSigningKey"]!.AsObject();

        // A default (newGuid() in particular) would rotate the key on every provision and break links already sent.
        Assert.Equal("securestring", parameter["type"]!.ToString());
        Assert.False(parameter.ContainsKey("defaultValue"));
    }
}
