namespace Supervision.Infra.Tests.Infra.App;

public class MonitoringBicepTests
{
    [Fact]
    public async Task ApplicationInsights_DisablesLocalAuth()
    {
        ArmResource insights = await CompiledTemplate.SingleResourceAsync("Microsoft.Insights/components");

        Assert.True(insights.Properties["DisableLocalAuth"]?.GetValue<bool>());
        Assert.NotNull(insights.Properties["WorkspaceResourceId"]);
    }
}
