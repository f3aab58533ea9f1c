"""Settings and stories as frozen, validated values; no business logic.

- `settings.py`: `tracker.toml`, the environment and options merged into `Settings`.
- `stories.py`: the stories in force, their questions and the shared actors.
- `feeds.py`: the feeds `feeds.toml` declares.
- `files.py`: reading one configuration file safely, and checking its values.

Importers take these names from `tracker.config`.
"""

from tracker.config.feeds import FEEDS_FILE, FeedDeclaration, load_feed_declarations
from tracker.config.files import (
    MAX_CONFIG_BYTES,
    MAX_CONFIG_DEPTH,
    read_toml,
    shipped_config_dir,
)
from tracker.config.settings import (
    SETTINGS_FILE,
    ArticleSettings,
    DatabaseSettings,
    ExtractSettings,
    FetchSettings,
    IngestSettings,
    ServiceSettings,
    Settings,
    load_settings,
    resolve_config_dir,
)
from tracker.config.stories import (
    ACTORS_FILE,
    STORIES_DIR,
    STORY_FILE,
    STORY_ID,
    Story,
    catalogue,
    load_stories,
    load_story,
    read_story_file,
    story_files,
)

__all__ = [
    "ACTORS_FILE",
    "FEEDS_FILE",
    "MAX_CONFIG_BYTES",
    "MAX_CONFIG_DEPTH",
    "SETTINGS_FILE",
    "STORIES_DIR",
    "STORY_FILE",
    "STORY_ID",
    "ArticleSettings",
    "DatabaseSettings",
    "ExtractSettings",
    "FeedDeclaration",
    "FetchSettings",
    "IngestSettings",
    "ServiceSettings",
    "Settings",
    "Story",
    "catalogue",
    "load_feed_declarations",
    "load_settings",
    "load_stories",
    "load_story",
    "read_story_file",
    "read_toml",
    "resolve_config_dir",
    "shipped_config_dir",
    "story_files",
]
