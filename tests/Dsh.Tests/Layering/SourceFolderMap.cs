using System.Reflection.Metadata.Ecma335;
using System.Reflection.Metadata;
using System.Reflection;

namespace Dsh.Tests.Layering;

/// <summary>
/// Where each top-level type of an assembly was written: its source files under one source folder of the repository,
/// read from the portable PDB next to the assembly. A method's sequence points name its file; a type without method
/// bodies (an interface, an enum, a delegate) has its files in the PDB's TypeDefinitionDocuments record. Nested and
/// compiler-generated nested types (closures, iterators, async state machines) count for their outermost type, and a
/// partial type has every file of every part.
/// </summary>
internal sealed class SourceFolderMap
{
    /// <summary>The custom debug information kind Roslyn writes for types with no method body in a file.</summary>
    private static readonly Guid TypeDefinitionDocuments = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    private readonly Dictionary<Type, SortedSet<string>> _files = [];
    private readonly Dictionary<Type, List<string>> _outsideFiles = [];

    private SourceFolderMap(string sourceFolder) => SourceFolder = sourceFolder;

    /// <summary>The source folder, relative to the repository and '/'-separated, e.g. <c>src/Dsh</c>.</summary>
    public string SourceFolder { get; }

    /// <summary>The files of a top-level type, relative to <see cref="SourceFolder"/> and '/'-separated; empty if none is there.</summary>
    public IReadOnlySet<string> FilesOf(Type type) =>
        _files.TryGetValue(Outermost(type), out SortedSet<string>? files) ? files : new SortedSet<string>();

    /// <summary>The folders of a type's files, relative to <see cref="SourceFolder"/>; "" is the source folder itself.</summary>
    public IReadOnlySet<string> FoldersOf(Type type) => new SortedSet<string>(FilesOf(type).Select(FolderOf), StringComparer.Ordinal);

    /// <summary>Whether the PDB names a file for the type that lies outside the source folder (a source generator's output).</summary>
    public bool HasFilesOutside(Type type) => _outsideFiles.ContainsKey(Outermost(type));

    /// <summary>Every top-level type with a file in the source folder.</summary>
    public IEnumerable<Type> Types => _files.Keys;

    /// <summary>The folder part of a file relative to the source folder: "" for a file directly in it.</summary>
    public static string FolderOf(string relativeFile)
    {
        int slash = relativeFile.LastIndexOf('/');
        return slash < 0 ? "" : relativeFile[..slash];
    }

    /// <summary>The outermost declaring type of a (possibly nested, possibly constructed) type, as its definition.</summary>
    public static Type Outermost(Type type)
    {
        while (type.DeclaringType != null)
        {
            type = type.DeclaringType;
        }
        return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
    }

    /// <summary>Reads the portable PDB next to <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The compiled library.</param>
    /// <param name="sourceFolder">Its source folder relative to the repository, '/'-separated, e.g. <c>src/Dsh</c>.</param>
    public static SourceFolderMap Read(Assembly assembly, string sourceFolder)
    {
        string pdbPath = Path.ChangeExtension(assembly.Location, ".pdb");
        if (!File.Exists(pdbPath))
        {
            throw new FileNotFoundException($"No portable PDB next to {assembly.Location}: the layering tests map types to folders from it.", pdbPath);
        }

        var map = new SourceFolderMap(sourceFolder.Trim('/'));
        Module module = assembly.ManifestModule;
        using var stream = File.OpenRead(pdbPath);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        MetadataReader pdb = provider.GetMetadataReader();

        var documentNames = new Dictionary<DocumentHandle, string>();
        string DocumentName(DocumentHandle handle)
        {
            if (!documentNames.TryGetValue(handle, out string? name))
            {
                name = pdb.GetString(pdb.GetDocument(handle).Name);
                documentNames[handle] = name;
            }
            return name;
        }

        foreach (MethodDebugInformationHandle handle in pdb.MethodDebugInformation)
        {
            MethodDebugInformation info = pdb.GetMethodDebugInformation(handle);
            var documents = new HashSet<DocumentHandle>();
            if (!info.Document.IsNil)
            {
                documents.Add(info.Document);
            }
            else if (!info.SequencePointsBlob.IsNil)
            {
                foreach (SequencePoint point in info.GetSequencePoints())
                {
                    documents.Add(point.Document);
                }
            }
            if (documents.Count == 0)
            {
                continue;
            }
            // A MethodDebugInformation row has the row number of its MethodDef.
            int methodToken = MetadataTokens.GetToken(MetadataTokens.MethodDefinitionHandle(MetadataTokens.GetRowNumber(handle)));
            Type? declaring = module.ResolveMethod(methodToken)?.DeclaringType;
            if (declaring == null)
            {
                continue; // a global method of <Module>
            }
            foreach (DocumentHandle document in documents)
            {
                map.Add(declaring, DocumentName(document));
            }
        }

        foreach (CustomDebugInformationHandle handle in pdb.CustomDebugInformation)
        {
            CustomDebugInformation info = pdb.GetCustomDebugInformation(handle);
            if (info.Parent.Kind != HandleKind.TypeDefinition || pdb.GetGuid(info.Kind) != TypeDefinitionDocuments)
            {
                continue;
            }
            Type type = module.ResolveType(MetadataTokens.GetToken(info.Parent));
            BlobReader blob = pdb.GetBlobReader(info.Value);
            while (blob.RemainingBytes > 0)
            {
                map.Add(type, DocumentName(MetadataTokens.DocumentHandle(blob.ReadCompressedInteger())));
            }
        }
        return map;
    }

    private void Add(Type type, string documentPath)
    {
        Type owner = Outermost(type);
        string? relative = RelativeToSourceFolder(documentPath);
        if (relative == null)
        {
            if (!_outsideFiles.TryGetValue(owner, out List<string>? outside))
            {
                _outsideFiles[owner] = outside = [];
            }
            outside.Add(documentPath);
            return;
        }
        if (!_files.TryGetValue(owner, out SortedSet<string>? files))
        {
            _files[owner] = files = new SortedSet<string>(StringComparer.Ordinal);
        }
        files.Add(relative);
    }

    /// <summary>
    /// The document's path relative to the source folder, or null if it lies elsewhere. Works for local absolute paths
    /// and for the <c>/_/src/...</c> paths of a build with ContinuousIntegrationBuild (path maps). Files under the
    /// folder's obj/ or bin/ (emitted generator output) count as elsewhere.
    /// </summary>
    private string? RelativeToSourceFolder(string documentPath)
    {
        string path = documentPath.Replace('\\', '/');
        string marker = "/" + SourceFolder + "/";
        int at = path.LastIndexOf(marker, StringComparison.Ordinal);
        string? relative = at >= 0 ? path[(at + marker.Length)..]
            : path.StartsWith(SourceFolder + "/", StringComparison.Ordinal) ? path[(SourceFolder.Length + 1)..]
            : null;
        if (relative == null || relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
        {
            return null;
        }
        return relative;
    }
}
