namespace Supervision.Infra.Tests.Infra.App;

public class RbacBicepTests
{
    // Built-in role definition ids, the same in every tenant.
    private static readonly Dictionary<string, string> ExpectedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0dc17ac1"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
    };

    private static async Task<IReadOnlyList<string>> AssignedRoleIdsAsync()
    {
        IReadOnlyList<ArmResource> assignments = await CompiledTemplate.ResourcesAsync("Microsoft.Authorization/roleAssignments");
        Assert.NotEmpty(assignments);
        return assignments
            .Select(assignment => assignment.ResolveVariables(assignment.Properties["roleDefinitionId"]!.ToString()))
            .ToList();
    }

    [Fact]
    public async Task RoleAssignments_UseOnlyExpectedBuiltInRoles()
    {
        IReadOnlyList<string> roleDefinitionIds = await AssignedRoleIdsAsync();

        Assert.All(roleDefinitionIds, id =>
        {
            Assert.Contains("Microsoft.Authorization/roleDefinitions", id, StringComparison.Ordinal);
            Assert.Contains(ExpectedRoles.Keys, role => id.Contains($"'{role}'", StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public async Task RoleAssignments_GrantEveryRoleTheAppNeeds()
    {
        IReadOnlyList<string> roleDefinitionIds = await AssignedRoleIdsAsync();

        Assert.All(ExpectedRoles, role =>
            Assert.True(
                roleDefinitionIds.Any(id => id.Contains($"'{role.Key}'", StringComparison.OrdinalIgnoreCase)),
                $"No assignment of {role.Value} ({role.Key})."));
    }

    [Fact]
    public async Task RoleAssignments_AreScopedToOneResource()
    {
        IReadOnlyList<ArmResource> assignments = await CompiledTemplate.ResourcesAsync("Microsoft.Authorization/roleAssignments");

        Assert.All(assignments, assignment => Assert.False(string.IsNullOrEmpty(assignment.Resource["scope"]?.ToString())));
    }
}
