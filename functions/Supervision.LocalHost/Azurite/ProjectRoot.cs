namespace Supervision.LocalHost.Azurite;

/// <summary>The repository folder: the one holding Serverless.sln and the package.json that pins Azurite.</summary>
public static class ProjectRoot
{
    public static string Find(string? configured = null)
    {
        if (!string.IsNullOrEmpty(configured))
            return Path.GetFullPath(configured);
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")) && File.Exists(Path.Combine(directory.FullName, "package.json")))
                    return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the project root (Serverless.sln with package.json); set {AzuriteOptions.Section}:ProjectRoot.");
    }
}
