using System.Diagnostics.CodeAnalysis;

namespace Supervision.LocalHost.Azurite;

/// <summary>The repository folder: the one holding Serverless.sln and the package.json that pins Azurite.</summary>
public static class ProjectRoot
{
    public static string Find(string? configured = null) =>
        TryFind(configured, out string? root)
            ? root
            : throw new InvalidOperationException($"Cannot find the project root (Serverless.sln with package.json); set {AzuriteOptions.Section}:ProjectRoot.");

    public static bool TryFind(string? configured, [NotNullWhen(true)] out string? root)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            root = Path.GetFullPath(configured);
            return true;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")) && File.Exists(Path.Combine(directory.FullName, "package.json")))
                {
                    root = directory.FullName;
                    return true;
                }
            }
        }

        root = null;
        return false;
    }
}
