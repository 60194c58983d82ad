using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Dsh.Tests.Support;
using Xunit.Abstractions;

namespace Dsh.Tests.Layering;

/// <summary>
/// The library's layout rules. (1) Namespaces follow folders: a file in src/Dsh/A/B is in namespace Dsh.A.B, except
/// that the types README.md's code examples name stay in namespace Dsh wherever their file lives, and the ASP.NET-style
/// AddXxx extensions live in Microsoft.Extensions.DependencyInjection. (2) No folder of src/Dsh depends on another in a
/// cycle, measured on the compiled assembly: signatures, attributes and method bodies' IL.
/// </summary>
public sealed partial class NamespaceLayeringTests(ITestOutputHelper output)
{
    private const string SourceFolder = "src/Dsh";
    private const string Root = "Dsh";

    /// <summary>Files whose namespace is neither their folder's nor Dsh, on purpose.</summary>
    private static readonly Dictionary<string, string> NamespaceExceptions = new(StringComparer.Ordinal)
    {
        // The ASP.NET convention: AddXxx extension methods live in the namespace of IServiceCollection.
        ["Serving/DshServiceCollectionExtensions.cs"] = "Microsoft.Extensions.DependencyInjection",
    };

    private static readonly string[] NotCompiled = ["obj", "bin", "buildTransitive"];

    private static Assembly Library => typeof(DshModel).Assembly;

    private static readonly Lazy<SourceFolderMap> Map = new(() => SourceFolderMap.Read(Library, SourceFolder));

    [Fact]
    public void ReadmeTypeNames_AreFound()
    {
        // Guards the parser: if it finds none of these, the namespace rules below would check against nothing.
        SortedSet<string> names = ReadmeTypeNames.Read(Path.Combine(RepoPaths.Root, "README.md"));
        output.WriteLine("Type names in README.md's C# blocks: " + string.Join(", ", names));
        Assert.Superset(new SortedSet<string> { "DshModel", "DshTrainer", "DshTrainerOptions", "DshArchitecture", "SbirDataset" }, names);
        Assert.DoesNotContain("Report", names);         // dataset.Report: a member, not a type
        Assert.DoesNotContain("Architecture", names);   // Architecture = …: an initializer, not a type
    }

    [Fact]
    public void EveryTypeWithCode_MapsToASourceFile()
    {
        // A type the map misses would escape both rules below.
        List<string> unmapped = Library.GetTypes()
            .Where(t => !t.IsNested && !IsCompilerGenerated(t) && Map.Value.FilesOf(t).Count == 0 && !Map.Value.HasFilesOutside(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();
        output.WriteLine($"{Map.Value.Types.Count()} top-level types mapped to files of {SourceFolder}:");
        foreach (Type type in Map.Value.Types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            output.WriteLine($"  {type.FullName} ← {string.Join(", ", Map.Value.FilesOf(type))}");
        }
        Assert.True(unmapped.Count == 0, "The PDB names no source file for: " + string.Join(", ", unmapped));
    }

    [Fact]
    public void Namespaces_FollowFolders()
    {
        string sourceRoot = Path.Combine(RepoPaths.Root, SourceFolder);
        SortedSet<string> readmeTypes = ReadmeTypeNames.Read(Path.Combine(RepoPaths.Root, "README.md"));
        ILookup<string, Type> typesByFile = Map.Value.Types
            .SelectMany(t => Map.Value.FilesOf(t).Select(file => (file, t)))
            .ToLookup(x => x.file, x => x.t, StringComparer.Ordinal);

        var violations = new List<string>();
        int files = 0;
        foreach (string relative in SourceFiles(sourceRoot))
        {
            files++;
            string expected = SourceFolderMap.FolderOf(relative) is { Length: > 0 } folder ? Root + "." + folder.Replace('/', '.') : Root;
            List<string> namespaces = NamespaceDeclaration().Matches(WithoutComments(File.ReadAllText(Path.Combine(sourceRoot, relative))))
                .Select(m => m.Groups["name"].Value)
                .ToList();
            if (namespaces.Count == 0)
            {
                violations.Add($"{relative}: no namespace (expected {expected})");
            }
            foreach (string ns in namespaces)
            {
                if (ns == expected || (NamespaceExceptions.TryGetValue(relative, out string? allowed) && ns == allowed))
                {
                    continue;
                }
                if (ns == Root)
                {
                    List<string> notInReadme = typesByFile[relative]
                        .Where(t => t.Namespace == Root && !readmeTypes.Contains(SimpleName(t)))
                        .Select(t => t.FullName!)
                        .Order(StringComparer.Ordinal)
                        .ToList();
                    if (notInReadme.Count > 0)
                    {
                        violations.Add($"{relative}: namespace {Root} (expected {expected}) for {string.Join(", ", notInReadme)}, which README.md's C# examples do not name");
                    }
                    continue;
                }
                violations.Add($"{relative}: namespace {ns} (expected {expected}, or {Root} for a type README.md's C# examples name)");
            }
        }
        Assert.True(files > 100, $"Only {files} source files found under {sourceRoot}");
        Assert.True(violations.Count == 0,
            $"{violations.Count} file(s) of {SourceFolder} break 'namespaces follow folders':\n" + string.Join('\n', violations));
    }

    [Fact]
    public void RootNamespace_HoldsOnlyReadmeTypes()
    {
        SortedSet<string> readmeTypes = ReadmeTypeNames.Read(Path.Combine(RepoPaths.Root, "README.md"));
        List<string> extra = Library.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace == Root && !readmeTypes.Contains(SimpleName(t)))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(extra.Count == 0,
            $"Public types in namespace {Root} that no C# block of README.md names (move them to the namespace of their folder): {string.Join(", ", extra)}");
    }

    [Fact]
    public void Folders_DoNotDependOnEachOtherInCycles()
    {
        FolderGraph graph = BuildFolderGraph();
        output.WriteLine($"{graph.Nodes.Count} folders, {graph.EdgeCount} folder-to-folder edges:");
        foreach (string from in graph.Nodes)
        {
            output.WriteLine($"  {FolderGraph.Display(from)} → {string.Join(", ", graph.Targets(from).Select(FolderGraph.Display))}");
        }
        string cycles = graph.DescribeCycles(SourceFolder);
        Assert.True(cycles.Length == 0, cycles);
    }

    /// <summary>The folder graph of the compiled library: one node per folder of src/Dsh, an edge per folder-crossing type use.</summary>
    internal static FolderGraph BuildFolderGraph()
    {
        SourceFolderMap map = Map.Value;
        var graph = new FolderGraph();
        string sourceRoot = Path.Combine(RepoPaths.Root, SourceFolder);
        graph.AddNode("");
        foreach (string relative in SourceFiles(sourceRoot))
        {
            graph.AddNode(SourceFolderMap.FolderOf(relative));
        }

        Assembly library = Library;
        foreach (Type type in library.GetTypes())
        {
            Type user = SourceFolderMap.Outermost(type);
            IReadOnlySet<string> from = map.FoldersOf(user);
            if (from.Count == 0)
            {
                continue; // <Module>, <PrivateImplementationDetails>, embedded attributes, generator output
            }
            foreach (TypeUse use in TypeDependencies.Of(type))
            {
                if (use.Used.Assembly != library)
                {
                    continue;
                }
                Type used = SourceFolderMap.Outermost(use.Used);
                if (used == user)
                {
                    continue;
                }
                foreach (string to in map.FoldersOf(used))
                {
                    foreach (string f in from)
                    {
                        string via = type == user ? use.Via : $"{use.Via} in {type.Name}";
                        graph.AddEdge(f, to, user, used, via);
                    }
                }
            }
        }
        return graph;
    }

    /// <summary>The compiled .cs files under the source root, relative and '/'-separated, sorted.</summary>
    private static List<string> SourceFiles(string sourceRoot) =>
        Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(sourceRoot, f).Replace('\\', '/'))
            .Where(f => !NotCompiled.Contains(f.Split('/')[0], StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsCompilerGenerated(Type type) =>
        type.Name.StartsWith('<') || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    /// <summary>A type's name without its generic arity (<c>Foo`1</c> → <c>Foo</c>).</summary>
    private static string SimpleName(Type type) => type.Name.Split('`')[0];

    private static string WithoutComments(string source) => LineComment().Replace(BlockComment().Replace(source, ""), "");

    [GeneratedRegex(@"^[ \t]*namespace[ \t]+(?<name>[A-Za-z_][\w.]*)[ \t]*[;{\r\n]", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();
}
