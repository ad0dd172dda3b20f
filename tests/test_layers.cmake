# test_layers reads every layer's library with nm: the archives' paths and the nm to use.
set(RG_LAYER_ARCHIVES "")
foreach(layer IN LISTS RG_LAYERS)
  string(APPEND RG_LAYER_ARCHIVES "${layer}=$<TARGET_FILE:regimen_${layer}>,")
endforeach()
target_compile_definitions(${RG_TEST} PRIVATE RG_LAYER_ARCHIVES="${RG_LAYER_ARCHIVES}"
  RG_NM="${CMAKE_NM}")
