namespace Dsh.Semantics;

/// <summary>
/// The part of WordNet 3.0's noun database the class-vector embedding reads: lemmas with their senses (most frequent
/// first), base forms of inflected nouns, and synsets with their words and hypernyms. Two sources: the table built into
/// the library (<see cref="WordNetTable"/>) and an installed database in the standard file format (<see cref="WordNetDatabase"/>).
/// </summary>
internal interface IWordNetNouns
{
    /// <summary>Where the nouns come from, for <see cref="ClassEmbedding.Source"/>: "wordnet" (built in) or "wordnet:DIRECTORY".</summary>
    string Source { get; }

    /// <summary>The synset offsets (most frequent sense first) of the requested lemmas that exist.</summary>
    Dictionary<string, long[]> FindLemmas(IReadOnlySet<string> lemmas);

    /// <summary>Base forms of a noun: irregular forms from noun.exc, then WordNet's detachment rules.</summary>
    IReadOnlyList<string> BaseForms(string word);

    /// <summary>The synset with this data.noun byte offset (WordNet 3.0's synset id).</summary>
    /// <exception cref="InvalidDataException">No such synset.</exception>
    WordNetSynset Synset(long offset);
}
