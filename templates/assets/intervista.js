// Interviews: a segment's time seeks the player on the page and highlights the segment. Without this script the
// time links to the recording at that moment (#t=195) and the index links to the segment: the page works as it is.
(function () {
  if (window.intervista) return;
  window.intervista = 1;
  function player(el) {
    var box = el.closest("[data-lettore]");
    return box && box.querySelector("video, audio");
  }
  function mark(segment) {
    document.querySelectorAll(".segmento.ora").forEach(function (s) {
      s.classList.remove("ora");
    });
    if (segment) segment.classList.add("ora");
  }
  function seek(link, play) {
    var media = player(link);
    if (!media) return false;
    function go() {
      media.currentTime = parseFloat(link.getAttribute("data-t"));
      if (play) media.play().catch(function () {});
    }
    if (media.readyState) go();
    else {
      // preload="none": the time can be set once the player knows the recording's length
      media.addEventListener("loadedmetadata", go, { once: true });
      media.preload = "metadata";
      media.load();
    }
    mark(link.closest(".segmento"));
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-t]");
    if (link && seek(link, true)) {
      event.preventDefault();
      history.replaceState(null, "", "#" + link.parentNode.id);
    }
  });
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var heading = id && document.getElementById(id);
    var link = heading && heading.querySelector("a[data-t]");
    if (link) seek(link, false);
  }
  addEventListener("hashchange", fromHash);
  fromHash();
})();
