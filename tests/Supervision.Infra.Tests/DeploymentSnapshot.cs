using System.Text.Json.Nodes;

namespace Supervision.Infra.Tests;

/// <summary>
/// <c>infra/main.bicep</c> evaluated for one set of parameters (<see cref="BicepCli.SnapshotAsync"/>): the resources a
/// deployment would create, each with its properties as Azure would get them. Lets a test compare the shapes that
/// a parameter chooses between, which the compiled template only holds as conditions.
/// </summary>
public static class DeploymentSnapshot
{
    private static readonly Lazy<Task<IReadOnlyList<JsonObject>>> PublicSnapshot =
        new(() => ResourcesAsync(new Dictionary<string, string>()));

    private static readonly Lazy<Task<IReadOnlyList<JsonObject>>> PrivateSnapshot =
        new(() => ResourcesAsync(new Dictionary<string, string> { ["privateNetworking"] = "true" }));

    /// <summary>The deployment of every default: public networking. Evaluated once per test run.</summary>
    public static Task<IReadOnlyList<JsonObject>> Public => PublicSnapshot.Value;

    /// <summary>The deployment with <c>privateNetworking</c> on, and nothing else changed. Evaluated once per test run.</summary>
    public static Task<IReadOnlyList<JsonObject>> Private => PrivateSnapshot.Value;

    public static async Task<IReadOnlyList<JsonObject>> ResourcesAsync(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        string folder = Directory.CreateTempSubdirectory("bicep-snapshot-").FullName;
        try
        {
            string main = Path.GetRelativePath(folder, Path.Combine(BicepCli.RepositoryRoot, BicepCli.MainTemplate)).Replace('\\', '/');
            IEnumerable<string> lines = new Dictionary<string, string>
            {
                ["environmentName"] = "'snapshot'",
                ["location"] = "'japaneast'",
                ["authClientId"] = "'00000000-0000-0000-0000-000000000001'",
                ["linkSigningKey"] = "'not-a-secret-0123456789-0123456789-0123456789'",
                // A SendGrid key, so that the app settings hold its Key Vault reference.
                ["sendGridApiKey"] = "'not-a-sendgrid-key'",
            }
                .Concat(parameters)
                .GroupBy(parameter => parameter.Key)
                .Select(parameter => $"param {parameter.Key} = {parameter.Last().Value}");
            string file = Path.Combine(folder, "deployment.bicepparam");
            await File.WriteAllLinesAsync(file, lines.Prepend($"using '{main}'"));

            BicepResult result = await BicepCli.SnapshotAsync(file);

            Assert.True(result.ExitCode == 0, $"bicep snapshot exited {result.ExitCode}:\n{result.StandardError}");
            JsonObject snapshot = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "deployment.snapshot.json")))!.AsObject();
            Assert.Empty(snapshot["diagnostics"]!.AsArray());
            return [.. snapshot["predictedResources"]!.AsArray().Select(resource => resource!.AsObject())];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
