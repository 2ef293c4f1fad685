using System.Text.RegularExpressions;

namespace Supervision.Tests;

/// <summary>
/// The library's folders keep their places (docs/decisions/0003): a feature depends on the kernel and the domain,
/// never on a sibling feature or on what composes it; the kernel depends on nothing above it; and the composers form no
/// cycle. Dependencies are read from the sources: every <c>using Supervision.X;</c> and every qualified <c>Supervision.X.</c>.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>The platform every stage builds on: identifiers, storage, trail, mail, links and requests, the chase, the outbox.</summary>
    public static readonly string[] Kernel = ["Kernel", "Audit", "Durable", "Evidence", "Health", "Http", "Mail", "Security", "Storage", "Vendors"];

    /// <summary>The lifecycle's stages, one folder each.</summary>
    public static readonly string[] Features = ["Selection", "Contracts", "Handovers", "Subcontracts", "Incidents", "Closing", "Reports", "Inspections", "Pledges", "Training"];

    /// <summary>What puts the stages together: the engagement's workflow, the daily sweep, the hosts' registration, and the portfolio that reads them all.</summary>
    public static readonly string[] Composers = ["Engagements", "Sweep", "Hosting", "Portfolio"];

    private static readonly Lazy<Dictionary<string, IReadOnlySet<string>>> Graph = new(ReadGraph);

    [Fact]
    public void EveryFolderOfTheLibrary_IsKernelFeatureOrComposer()
    {
        Assert.Equal(Kernel.Concat(Features).Concat(Composers).Order(), Graph.Value.Keys.Order());
    }

    [Fact]
    public void AFeature_DependsOnlyOnTheKernel_NeverOnASiblingFeatureOrAComposer()
    {
        Assert.All(Features, feature => Assert.Empty(Graph.Value[feature].Except(Kernel)));
    }

    [Fact]
    public void TheKernel_DependsOnNoFeatureAndNoComposer()
    {
        Assert.All(Kernel, folder => Assert.Empty(Graph.Value[folder].Intersect(Features.Concat(Composers))));
    }

    [Fact]
    public void TheFolders_FormNoCycle_WhenTheKernelCountsAsOne()
    {
        string Node(string folder) => Kernel.Contains(folder) ? "Kernel" : folder;
        Dictionary<string, HashSet<string>> collapsed = Graph.Value
            .GroupBy(pair => Node(pair.Key))
            .ToDictionary(group => group.Key, group => group.SelectMany(pair => pair.Value).Select(Node).Where(node => node != group.Key).ToHashSet());

        Assert.Null(FindCycle(collapsed));
    }

    [Fact]
    public void TheCycleCheck_FindsACycle_WhenThereIsOne()
    {
        var graph = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"] };

        Assert.NotNull(FindCycle(graph));
    }

    private static string? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        string? Visit(string node)
        {
            if (path.Contains(node))
                return string.Join(" -> ", path.SkipWhile(step => step != node).Append(node));
            if (!done.Add(node))
                return null;
            path.Add(node);
            foreach (string next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                    return cycle;
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }

    private static Dictionary<string, IReadOnlySet<string>> ReadGraph()
    {
        string library = Path.Combine(RepositoryRoot(), "functions", "Supervision");
        string[] folders = [.. Directory.GetDirectories(library).Select(Path.GetFileName).OfType<string>().Where(name => name is not ("bin" or "obj"))];
        return folders.ToDictionary(
            folder => folder,
            folder => (IReadOnlySet<string>)Directory.EnumerateFiles(Path.Combine(library, folder), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => Reference().Matches(File.ReadAllText(file)).Select(match => match.Groups["folder"].Value))
                .Where(referenced => referenced != folder && folders.Contains(referenced))
                .ToHashSet());
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("The repository root (Serverless.sln) is not above the test's directory.");
    }

    [GeneratedRegex(@"(?:using\s+|[^.\w])Supervision\.(?<folder>\w+)")]
    private static partial Regex Reference();
}
