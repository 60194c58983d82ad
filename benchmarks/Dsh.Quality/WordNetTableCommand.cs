using System.IO.Compression;
using System.Text;
using Dsh.Semantics;

namespace Dsh.Quality;

/// <summary>
/// <c>wordnet-table [databaseDir] [out]</c>: regenerates the WordNet noun table the Dsh library ships
/// (src/Dsh/Semantics/wordnet-3.0-nouns.txt.gz) from an installed WordNet 3.0 database (default /usr/share/wordnet,
/// Debian's wordnet-base). The test suite checks that the shipped table equals what this writes.
/// </summary>
internal static class WordNetTableCommand
{
    public static int Run(string[] args)
    {
        string directory = args.Length > 0 ? args[0] : WordNetDatabase.DefaultDirectory;
        string output = args.Length > 1 ? args[1] : Path.Combine(Pacs.RepoRoot.Find(), "src", "Dsh", "Semantics", "wordnet-3.0-nouns.txt.gz");
        using WordNetDatabase database = WordNetDatabase.Open(directory);
        using (var file = File.Create(output))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            WordNetTable.Write(database, writer);
        }
        using var check = File.OpenRead(output);
        WordNetTable table = WordNetTable.Read(check, output);
        Console.WriteLine($"{output}: {new FileInfo(output).Length:N0} bytes, {table.SynsetCount:N0} synsets, {table.LemmaCount:N0} lemmas");
        return 0;
    }
}
